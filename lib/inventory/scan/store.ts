// Saving a finished scan: the snapshot (gzip JSON), the usage counts per
// cluster and namespace, and the scan's counts and status, in one transaction.
import { gunzipSync, gzipSync } from "node:zlib";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { pruneInventoryChanges } from "../changes";
import type { InventorySnapshot } from "../snapshot-types";

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
export async function saveScanResult(prisma: PrismaClient, scanId: string, snapshot: InventorySnapshot, finishedAt: Date): Promise<ScanStatus | null> {
  const data = gzipSync(Buffer.from(JSON.stringify(snapshot), "utf8"));
  const status = scanStatus(snapshot);
  const saved = await prisma.$transaction(async (tx) => {
    const won = await tx.scan.updateMany({
      where: { id: scanId, status: "running" },
      data: { status, finishedAt, errors: asJson(snapshot.errors), ...scanCounts(snapshot) },
    });
    if (won.count !== 1) return false;
    await tx.scanSnapshot.create({ data: { scanId, data: new Uint8Array(data), sizeBytes: data.length } });
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

function decodeSnapshot(data: Uint8Array): InventorySnapshot {
  return JSON.parse(gunzipSync(data).toString("utf8")) as InventorySnapshot;
}

/** The snapshot of the newest scan that produced one (succeeded or partial). */
export async function latestSnapshot(prisma: PrismaClient): Promise<{ scanId: string; status: string; snapshot: InventorySnapshot } | null> {
  const row = await prisma.scanSnapshot.findFirst({ orderBy: { scan: { startedAt: "desc" } }, include: { scan: { select: { status: true } } } });
  return row ? { scanId: row.scanId, status: row.scan.status, snapshot: decodeSnapshot(row.data) } : null;
}

export async function snapshotOfScan(prisma: PrismaClient, scanId: string): Promise<InventorySnapshot | null> {
  const row = await prisma.scanSnapshot.findUnique({ where: { scanId } });
  return row ? decodeSnapshot(row.data) : null;
}
