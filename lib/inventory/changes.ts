// Inventory changes between scans (the InventoryChange table): what a change
// event's re-read found (lib/freshness writes them, in the transaction of its
// other writes), in the snapshot's own shape. The inventory view applies the rows
// newer than the latest scan's start on top of its snapshot, in seq order, as
// analysis deltas. Inserts take a transaction-scoped advisory lock, so rows
// commit in seq order and a replica that has applied up to seq N never misses a
// row below N that commits later.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import type { AnalysisDelta } from "./analysis/incremental";
import type { InventorySnapshot, SnapshotAssociation, SnapshotOidcProvider, SnapshotRole } from "./snapshot-types";

type Tx = Prisma.TransactionClient;

export type InventoryChange =
  /** role null: the role no longer exists. */
  | { kind: "role"; accountId: string; roleName: string; role: SnapshotRole | null }
  /** association null: it no longer exists. */
  | { kind: "association"; accountId: string; region: string; cluster: string; associationId: string; association: SnapshotAssociation | null }
  /** Every OIDC provider of the account, as listed now. */
  | { kind: "oidc-providers"; accountId: string; providers: SnapshotOidcProvider[] };

export interface StoredChange {
  seq: bigint;
  change: InventoryChange;
}

const keyOf = (c: InventoryChange) =>
  c.kind === "role" ? `${c.accountId}/${c.roleName}` : c.kind === "association" ? `${c.accountId}/${c.region}/${c.cluster}/${c.associationId}` : c.accountId;

/** Records a change (call inside the transaction that writes the event's other effects). */
export async function recordInventoryChange(tx: Tx, eventTime: Date, change: InventoryChange): Promise<void> {
  // Commit order = seq order (see the header).
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('rolegate:inventory-change'))`);
  const { kind, ...payload } = change;
  await tx.inventoryChange.create({ data: { eventTime, kind, key: keyOf(change), payload: payload as Prisma.InputJsonValue } });
}

/**
 * The second a scan started in. CloudTrail gives event times to the second, so an
 * event in that second may have come after the scan read what it touched: such
 * changes are applied on top of the scan, never taken as read by it. Applying one
 * the scan did read changes nothing: a change holds what AWS answered when its
 * event was handled, after the event.
 */
export const scanStartSecond = (startedAt: Date) => new Date(Math.floor(startedAt.getTime() / 1000) * 1000);

/** Changes with afterSeq < seq <= uptoSeq whose event is not older than the second the scan started in (older ones are in the scan), in seq order. */
export async function changesSince(prisma: PrismaClient, since: Date, afterSeq: bigint, uptoSeq: bigint): Promise<StoredChange[]> {
  const rows = await prisma.inventoryChange.findMany({ where: { seq: { gt: afterSeq, lte: uptoSeq }, eventTime: { gte: scanStartSecond(since) } }, orderBy: { seq: "asc" } });
  return rows.map((r) => ({ seq: r.seq, change: { kind: r.kind, ...(r.payload as object) } as InventoryChange }));
}

/** Deletes the changes a succeeded scan has read (event before the second it started in). */
export async function pruneInventoryChanges(tx: Tx, scanStartedAt: Date): Promise<number> {
  return (await tx.inventoryChange.deleteMany({ where: { eventTime: { lt: scanStartSecond(scanStartedAt) } } })).count;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The analysis deltas that bring `snapshot` (the current model) to what the change
 * says, as a scan would read it: a role's policies are kept only for node roles
 * (the scan reads no others), an association replaces any other one of its
 * service account (EKS allows one), a cluster the snapshot does not have is left
 * to the next scan.
 */
export function deltasOf(snapshot: InventorySnapshot, change: InventoryChange): AnalysisDelta[] {
  switch (change.kind) {
    case "role": {
      const old = snapshot.roles.find((r) => r.accountId === change.accountId && r.roleName === change.roleName);
      if (!change.role) return old ? [{ kind: "role-remove", roleArn: old.arn }] : [];
      const arn = change.role.arn;
      const nodeRole = snapshot.clusters.some((c) => c.nodegroups.some((n) => n.nodeRoleArn === arn));
      const role: SnapshotRole = nodeRole ? change.role : { ...change.role, inlinePolicies: {}, attachedPolicyArns: [] };
      const out: AnalysisDelta[] = old && old.arn !== arn ? [{ kind: "role-remove", roleArn: old.arn }] : [];
      if (!old || !same(old, role)) out.push({ kind: "role-upsert", role });
      return out;
    }
    case "association": {
      const cluster = snapshot.clusters.find((c) => c.accountId === change.accountId && c.region === change.region && c.name === change.cluster);
      if (!cluster) return [];
      const a = change.association;
      const gone = cluster.associations.filter((x) => x.associationId === change.associationId ? !a : a !== null && x.namespace === a.namespace && x.serviceAccount === a.serviceAccount);
      const out: AnalysisDelta[] = gone.map((x) => ({ kind: "association-remove", clusterArn: cluster.arn, associationId: x.associationId }));
      const old = cluster.associations.find((x) => x.associationId === change.associationId);
      if (a && (!old || !same(old, a))) out.push({ kind: "association-upsert", clusterArn: cluster.arn, association: a });
      return out;
    }
    case "oidc-providers": {
      const now = new Map(change.providers.map((p) => [p.arn, p]));
      const out: AnalysisDelta[] = snapshot.oidcProviders.filter((p) => p.accountId === change.accountId && !now.has(p.arn)).map((p) => ({ kind: "oidc-provider-remove", arn: p.arn }));
      const before = new Map(snapshot.oidcProviders.map((p) => [p.arn, p]));
      for (const p of change.providers) if (!same(before.get(p.arn), p)) out.push({ kind: "oidc-provider-upsert", provider: p });
      return out;
    }
  }
}
