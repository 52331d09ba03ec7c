// Saving a finished scan: the snapshot (its header, and a segment per cluster and
// per account: lib/inventory/scan/segments.ts), the usage counts per cluster and
// namespace, and the scan's counts and status, in one transaction.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { pruneInventoryChanges } from "../changes";
import type { InventorySnapshot } from "../snapshot-types";
import { loadSnapshot, scanToSave, segmentsOf, writeSegments, type ScanToSave } from "./segments";

const asJson = (v: unknown) => v as Prisma.InputJsonValue;

export type ScanStatus = "running" | "succeeded" | "partial" | "failed";

function usageRows(scan: ScanToSave) {
  return scan.clusters.flatMap(({ digest: c }) => c.usage.map((u) => ({ accountId: c.accountId, region: c.region, cluster: c.name, ...u })));
}

function scanCounts(scan: ScanToSave) {
  const sum = (field: "associations" | "serviceAccounts" | "pods") => scan.clusters.reduce((n, c) => n + c.digest[field], 0);
  return { clusters: scan.clusters.length, associations: sum("associations"), roles: scan.roles.length, serviceAccounts: sum("serviceAccounts"), pods: sum("pods") };
}

/** partial when some scope failed but something was read; failed when nothing was. */
function scanStatus(scan: ScanToSave): ScanStatus {
  if (scan.header.errors.length === 0) return "succeeded";
  return scan.clusters.length > 0 || scan.roles.length > 0 ? "partial" : "failed";
}

/**
 * Saves a running scan's result: compare-and-swap on its status (running -> final), so
 * a scan is finalized once; null when it was not running any more (nothing saved).
 */
export async function saveScan(prisma: PrismaClient, scanId: string, scan: ScanToSave, finishedAt: Date): Promise<ScanStatus | null> {
  const segments = segmentsOf(scan);
  const status = scanStatus(scan);
  const saved = await prisma.$transaction(async (tx) => {
    const won = await tx.scan.updateMany({
      where: { id: scanId, status: "running" },
      data: { status, finishedAt, errors: asJson(scan.header.errors), ...scanCounts(scan) },
    });
    if (won.count !== 1) return false;
    await tx.scanSnapshot.create({ data: { scanId, header: asJson(scan.header), sizeBytes: 0 } });
    const { sizeBytes } = await writeSegments(tx, scanId, segments);
    await tx.scanSnapshot.update({ where: { scanId }, data: { sizeBytes } });
    const rows = usageRows(scan);
    if (rows.length) await tx.scanUsage.createMany({ data: rows.map((r) => ({ scanId, ...r })) });
    // The parts' results are in the snapshot now.
    await tx.scanPart.updateMany({ where: { scanId }, data: { result: null } });
    // Changes recorded between scans whose event came before this scan started are in its snapshot (lib/inventory/changes).
    if (status === "succeeded") {
      const row = await tx.scan.findUniqueOrThrow({ where: { id: scanId }, select: { startedAt: true } });
      await pruneInventoryChanges(tx, row.startedAt);
    }
    return true;
  }, { timeout: 60_000 });
  return saved ? status : null;
}

/** saveScan for a whole snapshot at hand (a scan run in one process, a test's). */
export function saveScanResult(prisma: PrismaClient, scanId: string, snapshot: InventorySnapshot, finishedAt: Date): Promise<ScanStatus | null> {
  return saveScan(prisma, scanId, scanToSave(snapshot), finishedAt);
}

/** The snapshot of the newest scan that produced one (succeeded or partial). */
export async function latestSnapshot(prisma: PrismaClient): Promise<{ scanId: string; status: string; snapshot: InventorySnapshot } | null> {
  const row = await prisma.scanSnapshot.findFirst({ orderBy: { scan: { startedAt: "desc" } }, select: { scanId: true, scan: { select: { status: true } } } });
  const snapshot = row && (await loadSnapshot(prisma, row.scanId));
  return row && snapshot ? { scanId: row.scanId, status: row.scan.status, snapshot } : null;
}

/** A scan's snapshot (composed from its segments, or its one document when saved before segments). */
export function snapshotOfScan(prisma: PrismaClient, scanId: string): Promise<InventorySnapshot | null> {
  return loadSnapshot(prisma, scanId);
}
