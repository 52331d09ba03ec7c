// startScan: claims the scan lease (one scan at a time across replicas), creates
// the Scan row, and runs the scan in the background: progress is written to the
// row at most twice a second, the lease is renewed while it runs, and the
// result (snapshot, usage, counts, status) is saved at the end.
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { buildInventorySnapshot } from "./build-snapshot";
import type { ScanDeps } from "./context";
import { LEASE_TTL_MS, ensureLeaseRow, releaseLease, renewLease, tryAcquireLease } from "./lease";
import type { ScanProgress } from "./progress";
import { saveScanResult, type ScanStatus } from "./store";

export const INVENTORY_SCOPE = "inventory";
const PROGRESS_WRITE_MS = 500;
const asJson = (v: unknown) => v as Prisma.InputJsonValue;

type ScanTrigger = "manual" | "scheduled";

export interface ScanServiceDeps {
  prisma: PrismaClient;
  scan: ScanDeps;
  now?: () => Date;
  leaseTtlMs?: number;
  /** Scheduled scans skip when a scan started less than this long ago (another replica ran it). */
  minScheduledGapMs?: number;
  /** Runs after a scan's result is saved (lib/runtime.ts: standing approvals map new service accounts). */
  afterScan?: () => Promise<unknown>;
}

export interface StartScanOptions {
  /** A scheduled scan's interval slot (its start): a slot that already has a scan is skipped. */
  slot?: Date;
}

interface StartedScan {
  scanId: string | null;
  alreadyRunning: boolean;
  /** A scheduled scan found a recent enough scan and did nothing. */
  skipped?: boolean;
  done: Promise<ScanStatus | null>;
}

export async function startScan(deps: ScanServiceDeps, trigger: ScanTrigger, actor: string, options: StartScanOptions = {}): Promise<StartedScan> {
  const slot = trigger === "scheduled" ? options.slot : undefined;
  const now = deps.now ?? (() => new Date());
  const holder = randomUUID();
  await ensureLeaseRow(deps.prisma, INVENTORY_SCOPE);
  const claimed = await deps.prisma.$transaction(async (tx) => {
    const at = now();
    const lease = await tx.scanLease.findUniqueOrThrow({ where: { scope: INVENTORY_SCOPE } });
    if (lease.expiresAt > at) return { scanId: lease.scanId, alreadyRunning: true };
    if (slot) {
      const ofSlot = await tx.scan.findUnique({ where: { scheduledFor: slot } });
      if (ofSlot) return { scanId: ofSlot.id, alreadyRunning: false, skipped: true };
    }
    if (trigger === "scheduled" && deps.minScheduledGapMs) {
      const recent = await tx.scan.findFirst({ where: { startedAt: { gt: new Date(at.getTime() - deps.minScheduledGapMs) }, status: { not: "failed" } } });
      if (recent) return { scanId: recent.id, alreadyRunning: false, skipped: true };
    }
    const scanId = randomUUID();
    if (!(await tryAcquireLease(tx, INVENTORY_SCOPE, holder, scanId, at, deps.leaseTtlMs ?? LEASE_TTL_MS))) {
      const current = await tx.scanLease.findUniqueOrThrow({ where: { scope: INVENTORY_SCOPE } });
      return { scanId: current.scanId, alreadyRunning: true };
    }
    // A scan left "running" by a replica whose lease expired will never finish.
    await tx.scan.updateMany({
      where: { status: "running" },
      data: { status: "failed", finishedAt: at, errors: [{ scope: "scan", message: "The replica running this scan stopped renewing its lease." }] },
    });
    await tx.scan.create({ data: { id: scanId, trigger, startedBy: actor, startedAt: at, scheduledFor: slot ?? null, progress: { phase: "discovering", done: 0, total: 0, parts: {} } } });
    // A person starting a scan is a change they made: audited with the Scan row it creates (scheduled scans are the system's).
    if (trigger === "manual") await recordAudit(tx, { actor, event: "inventory.scan_started", subject: `scan:${scanId}`, details: { trigger } });
    return { scanId, alreadyRunning: false, acquired: scanId };
  });
  const acquired = "acquired" in claimed ? claimed.acquired : undefined;
  if (!acquired) return { scanId: claimed.scanId ?? null, alreadyRunning: claimed.alreadyRunning, skipped: "skipped" in claimed, done: Promise.resolve(null) };
  return { scanId: acquired, alreadyRunning: false, done: runScan(deps, acquired, holder) };
}

async function runScan(deps: ScanServiceDeps, scanId: string, holder: string): Promise<ScanStatus> {
  const now = deps.now ?? (() => new Date());
  const ttl = deps.leaseTtlMs ?? LEASE_TTL_MS;
  let latest: ScanProgress | undefined;
  let written: ScanProgress | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  const writeProgress = () => {
    if (!latest || latest === written) return writing;
    const p = (written = latest);
    writing = writing.then(() => deps.prisma.scan.update({ where: { id: scanId }, data: { progress: asJson(p) } }).catch(() => {}));
    return writing;
  };
  const progressTimer = setInterval(() => void writeProgress(), PROGRESS_WRITE_MS);
  const leaseTimer = setInterval(() => void renewLease(deps.prisma, INVENTORY_SCOPE, holder, now(), ttl).catch(() => {}), Math.max(50, ttl / 3));
  try {
    const { snapshot } = await buildInventorySnapshot(deps.scan, (p) => (latest = p));
    clearInterval(progressTimer);
    await writeProgress();
    await deps.prisma.scan.update({ where: { id: scanId }, data: { progress: asJson({ ...latest, phase: "saving" }) } });
    const status = await saveScanResult(deps.prisma, scanId, snapshot, now());
    await deps.prisma.scan.update({ where: { id: scanId }, data: { progress: asJson({ ...latest, phase: "done" }) } });
    await deps.afterScan?.().catch((e) => console.error(JSON.stringify({ level: "error", scanId, afterScan: (e as Error).message })));
    return status;
  } catch (e) {
    await deps.prisma.scan
      .update({ where: { id: scanId }, data: { status: "failed", finishedAt: now(), errors: [{ scope: "scan", message: (e as Error).message }] } })
      .catch(() => {});
    return "failed";
  } finally {
    clearInterval(progressTimer);
    clearInterval(leaseTimer);
    await writing;
    await releaseLease(deps.prisma, INVENTORY_SCOPE, holder).catch(() => {});
  }
}
