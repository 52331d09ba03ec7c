// startScan: claims the scan lease (one scan at a time across replicas), creates
// the Scan row with its parts and their jobs (lib/inventory/scan/parts.ts), and
// returns. The parts run on the job runners of every replica (runParts "queue",
// the serving processes) or, by default, on a runner of this process started for
// this scan (tests, scripts); `done` resolves when the scan is finalized.
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record";
import type { PrismaClient } from "@/lib/db/generated/client";
import { JobRunner } from "@/lib/jobs/runner";
import type { ScanDeps } from "./context";
import { LEASE_TTL_MS, ensureLeaseRow, tryAcquireLease } from "./lease";
import { INVENTORY_SCOPE, SCAN_QUEUES, ScanWorker, addParts, initialParts } from "./parts";
import type { ScanStatus } from "./store";

export { INVENTORY_SCOPE } from "./parts";

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
  /**
   * "queue": the job runners of the replicas run the scan's parts (lib/boot.ts gives them the scan lane);
   * "inline" (default): startScan starts a runner of the scan queues in this process for the scan.
   */
  runParts?: "inline" | "queue";
  /** Job lease of the inline runner (default 60 s). */
  jobLeaseMs?: number;
  /** With runParts "queue": how often `done` looks at the Scan row (default 500 ms; bench:scale times the scan by it). */
  donePollMs?: number;
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
    // The lease's holder is the scan: whichever replica runs one of its parts renews it.
    if (!(await tryAcquireLease(tx, INVENTORY_SCOPE, scanId, scanId, at, deps.leaseTtlMs ?? LEASE_TTL_MS))) {
      const current = await tx.scanLease.findUniqueOrThrow({ where: { scope: INVENTORY_SCOPE } });
      return { scanId: current.scanId, alreadyRunning: true };
    }
    // A scan left "running" by a replica whose lease expired will never finish.
    await tx.scan.updateMany({
      where: { status: "running" },
      data: { status: "failed", finishedAt: at, errors: [{ scope: "scan", message: "The replica running this scan stopped renewing its lease." }] },
    });
    await tx.scan.create({ data: { id: scanId, trigger, startedBy: actor, startedAt: at, scheduledFor: slot ?? null, progress: { phase: "discovering", done: 0, total: 0, parts: {} } } });
    await addParts(tx, scanId, initialParts(deps.scan.targets));
    // A person starting a scan is a change they made: audited with the Scan row it creates (scheduled scans are the system's).
    if (trigger === "manual") await recordAudit(tx, { actor, event: "inventory.scan_started", subject: `scan:${scanId}`, details: { trigger } });
    return { scanId, alreadyRunning: false, acquired: scanId };
  });
  const acquired = "acquired" in claimed ? claimed.acquired : undefined;
  if (!acquired) return { scanId: claimed.scanId ?? null, alreadyRunning: claimed.alreadyRunning, skipped: "skipped" in claimed, done: Promise.resolve(null) };
  return { scanId: acquired, alreadyRunning: false, done: deps.runParts === "queue" ? scanFinished(deps.prisma, acquired, deps.donePollMs ?? 500) : runInline(deps, acquired) };
}

/** Polls the Scan row until it is no longer running; its final status. */
async function scanFinished(prisma: PrismaClient, scanId: string, everyMs: number): Promise<ScanStatus> {
  for (;;) {
    const scan = await prisma.scan.findUnique({ where: { id: scanId }, select: { status: true } });
    if (!scan) return "failed";
    if (scan.status !== "running") return scan.status as ScanStatus;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs the scan's parts on a runner of the scan queues in this process (other replicas' runners may help). */
async function runInline(deps: ScanServiceDeps, scanId: string): Promise<ScanStatus> {
  const worker = new ScanWorker(deps);
  const runner = new JobRunner(deps.prisma, worker.handlers(), {
    pollMs: 50,
    leaseMs: deps.jobLeaseMs,
    lanes: [{ queues: SCAN_QUEUES, concurrency: deps.scan.clusterConcurrency ?? 32 }],
    reportsHealth: false,
    log: (entry) => console.error(JSON.stringify({ level: "error", scanId, ...entry })),
  });
  runner.start();
  try {
    return await scanFinished(deps.prisma, scanId, 50);
  } finally {
    await runner.stop();
  }
}