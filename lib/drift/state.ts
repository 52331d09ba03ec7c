// Drift, one service account at a time: what RoleGate approved (the latest applied
// request item per service account) against what AWS has (the association cache).
// computeDrift (compute.ts) runs this over every cached association; the
// change-events consumer (lib/freshness) asks driftOf for the one an event touched.
// No "server-only" guard here: the consumer runs in the start-up script's bundle too.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { ServiceAccountRef } from "@/lib/inventory/snapshot-types";
import type { ItemKinds } from "@/lib/requests";

export type DriftKind = "out-of-band" | "missing" | "changed";

interface AssociationState {
  associationId: string | null;
  roleArn: string;
  targetRoleArn: string | null;
  disableSessionTags: boolean;
}

interface ApprovedState extends AssociationState {
  requestId: string;
  itemId: string;
  appliedAt: string | null;
  /** create | update | adopt */
  via: string;
  sessionPolicy: string | null;
}

export interface ActualState extends AssociationState {
  associationId: string;
  ownerArn: string | null;
  awsModifiedAt: string;
}

export interface DriftFinding extends ServiceAccountRef {
  kind: DriftKind;
  approved?: ApprovedState;
  actual?: ActualState;
  /** What differs, in words (changed), or why it is a finding. */
  differences: string[];
}

export interface DriftReport {
  computedAt: string;
  /** When the compared clusters' cache was last refreshed (oldest first). */
  clusters: { accountId: string; region: string; name: string; lastRefreshedAt: string | null; lastRefreshError: string | null }[];
  findings: DriftFinding[];
  counts: Record<DriftKind, number>;
}

export interface DriftLocation {
  accountId: string;
  region: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
}

export const driftKey = (k: DriftLocation) =>
  `${k.accountId}/${k.region}/${k.cluster}/${k.namespace}/${k.serviceAccount}`;

/** The registry's kinds drift reads: the last applied one per service account decides (item-kind registry). */
export type DriftKinds = Pick<ItemKinds, "select" | "get">;

/**
 * The association RoleGate approved per service account key (absent: none in force): the latest
 * applied item of a kind that establishes an association (create, update, adopt) or removes it (delete).
 */
export async function approvedAssociations(prisma: Pick<PrismaClient, "requestItem">, kinds: DriftKinds, only?: DriftLocation): Promise<Map<string, ApprovedState>> {
  const items = await prisma.requestItem.findMany({
    where: { status: "applied", kind: { in: kinds.select((k) => k.establishesMapping === "association" || k.removesMapping === "association") }, ...(only ?? {}) },
    orderBy: [{ appliedAt: "asc" }, { position: "asc" }],
  });
  const out = new Map<string, ApprovedState>();
  for (const i of items) {
    const key = driftKey(i);
    if (kinds.get(i.kind)?.removesMapping === "association") {
      out.delete(key);
      continue;
    }
    out.set(key, {
      requestId: i.requestId,
      itemId: i.id,
      appliedAt: i.appliedAt?.toISOString() ?? null,
      via: i.kind,
      associationId: i.resultAssociationId ?? i.associationId ?? null,
      roleArn: i.roleArn ?? "",
      targetRoleArn: i.targetRoleArn ?? null,
      disableSessionTags: i.disableSessionTags,
      sessionPolicy: i.sessionPolicy ?? null,
    });
  }
  return out;
}

export function differences(approved: AssociationState, actual: AssociationState): string[] {
  const out: string[] = [];
  if (approved.associationId && approved.associationId !== actual.associationId) {
    out.push(`association re-created outside RoleGate (approved ${approved.associationId}, now ${actual.associationId})`);
  }
  if (approved.roleArn !== actual.roleArn) out.push(`role: approved ${approved.roleArn}, AWS has ${actual.roleArn}`);
  if ((approved.targetRoleArn ?? null) !== (actual.targetRoleArn ?? null)) {
    out.push(`target role: approved ${approved.targetRoleArn ?? "none"}, AWS has ${actual.targetRoleArn ?? "none"}`);
  }
  if (approved.disableSessionTags !== actual.disableSessionTags) {
    out.push(`session tags: approved ${approved.disableSessionTags ? "disabled" : "enabled"}, AWS has ${actual.disableSessionTags ? "disabled" : "enabled"}`);
  }
  return out;
}


/**
 * The drift finding of one service account (none: in line with what RoleGate approved),
 * from the same two tables as computeDrift; the change-events consumer (lib/freshness)
 * asks it before and after it updates the cache, to notice drift the moment it appears.
 */
export async function driftOf(prisma: Pick<PrismaClient, "requestItem" | "podIdentityAssociation">, kinds: DriftKinds, clusterId: string, loc: DriftLocation): Promise<DriftFinding | null> {
  const key = driftKey(loc);
  const want = (await approvedAssociations(prisma, kinds, loc)).get(key);
  const a = await prisma.podIdentityAssociation.findFirst({ where: { clusterId, namespace: loc.namespace, serviceAccount: loc.serviceAccount } });
  if (!a) return want ? { kind: "missing", key, ...loc, approved: want, differences: [`approved by request ${want.requestId}, not in AWS`] } : null;
  const actual: ActualState = { associationId: a.associationId, roleArn: a.roleArn, targetRoleArn: a.targetRoleArn, disableSessionTags: a.disableSessionTags, ownerArn: a.ownerArn, awsModifiedAt: a.awsModifiedAt.toISOString() };
  if (!want) return { kind: "out-of-band", key, ...loc, actual, differences: [a.ownerArn ? `created outside RoleGate; owned by ${a.ownerArn}` : "created outside RoleGate"] };
  const diff = differences(want, actual);
  return diff.length ? { kind: "changed", key, ...loc, approved: want, actual, differences: diff } : null;
}
