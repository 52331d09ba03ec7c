// Saving a finished scan: the snapshot (its header, and a segment per cluster and
// per account: lib/inventory/scan/segments.ts), the usage counts per cluster and
// namespace, and the scan's counts and status, in one transaction.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { pruneInventoryChanges } from "../changes";
import type { InventorySnapshot } from "../snapshot-types";
import { loadSnapshot, splitSnapshot, writeSegments, type StoredContent } from "./segments";

const asJson = (v: unknown) => v as Prisma.InputJsonValue;

export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

export type ScanStatus = "running" | "succeeded" | "partial" | "failed";

interface UsageRow {
  accountId: string;
  region: string;
  cluster: string;
  namespace: string;
  irsaServiceAccounts: number;
  podIdentityAssociations: number;
  serviceAccounts: number;
}

function usageRows(snapshot: InventorySnapshot): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const c of snapshot.clusters) {
    const row = (namespace: string) => {
      const key = `${c.accountId}/${c.region}/${c.name}/${namespace}`;
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { accountId: c.accountId, region: c.region, cluster: c.name, namespace, irsaServiceAccounts: 0, podIdentityAssociations: 0, serviceAccounts: 0 }));
      return r;
    };
    for (const sa of c.serviceAccounts) {
      const r = row(sa.namespace);
      r.serviceAccounts++;
      if (sa.annotations[IRSA_ANNOTATION]) r.irsaServiceAccounts++;
    }
    for (const a of c.associations) row(a.namespace).podIdentityAssociations++;
  }
  return [...rows.values()];
}

function scanCounts(snapshot: InventorySnapshot) {
  return {
    clusters: snapshot.clusters.length,
    associations: snapshot.clusters.reduce((n, c) => n + c.associations.length, 0),
    roles: snapshot.roles.length,
    serviceAccounts: snapshot.clusters.reduce((n, c) => n + c.serviceAccounts.length, 0),
    pods: snapshot.clusters.reduce((n, c) => n + c.pods.length, 0),
  };
}

/** partial when some scope failed but something was read; failed when nothing was. */
export function scanStatus(snapshot: InventorySnapshot): ScanStatus {
  if (snapshot.errors.length === 0) return "succeeded";
  return snapshot.clusters.length > 0 || snapshot.roles.length > 0 ? "partial" : "failed";
}

/**
 * Saves a running scan's result: compare-and-swap on its status (running -> final), so
 * a scan is finalized once; null when it was not running any more (nothing saved).
 */
export async function saveScanResult(
  prisma: PrismaClient,
  scanId: string,
  snapshot: InventorySnapshot,
  finishedAt: Date,
  /** Clusters' segments as the scan's parts stored them (hashed, compressed), by segment key. */
  stored?: ReadonlyMap<string, StoredContent>,
): Promise<ScanStatus | null> {
  const { header, segments } = splitSnapshot(snapshot, stored);
  const status = scanStatus(snapshot);
  const saved = await prisma.$transaction(async (tx) => {
    const won = await tx.scan.updateMany({
      where: { id: scanId, status: "running" },
      data: { status, finishedAt, errors: asJson(snapshot.errors), ...scanCounts(snapshot) },
    });
    if (won.count !== 1) return false;
    await tx.scanSnapshot.create({ data: { scanId, header: asJson(header), sizeBytes: 0 } });
    const { sizeBytes } = await writeSegments(tx, scanId, segments);
    await tx.scanSnapshot.update({ where: { scanId }, data: { sizeBytes } });
    const rows = usageRows(snapshot);
    if (rows.length) await tx.scanUsage.createMany({ data: rows.map((r) => ({ scanId, ...r })) });
    // The parts' results are in the snapshot now.
    await tx.scanPart.updateMany({ where: { scanId }, data: { result: null } });
    // Changes recorded between scans whose event came before this scan started are in its snapshot (lib/inventory/changes).
    if (status === "succeeded") {
      const scan = await tx.scan.findUniqueOrThrow({ where: { id: scanId }, select: { startedAt: true } });
      await pruneInventoryChanges(tx, scan.startedAt);
    }
    return true;
  }, { timeout: 60_000 });
  return saved ? status : null;
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
