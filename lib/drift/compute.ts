// Drift: what RoleGate approved (the latest applied request item per service
// account: create / update / adopt put an association in force, delete removes
// it) against what AWS has (the association cache of the last mappings refresh).
// Computed on read from those two tables, so it is current after every refresh
// without a stored report: (a) out-of-band associations, (b) approved
// associations missing in AWS, (c) associations changed outside RoleGate.
// Clusters whose last refresh failed (or never ran) are skipped for "missing":
// their cache cannot prove absence.
import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { ServiceAccountRef } from "@/lib/inventory/snapshot-types";

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

interface ActualState extends AssociationState {
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

export const driftKey = (k: { accountId: string; region: string; cluster: string; namespace: string; serviceAccount: string }) =>
  `${k.accountId}/${k.region}/${k.cluster}/${k.namespace}/${k.serviceAccount}`;

const ASSOCIATION_ITEM_KINDS = ["create", "update", "adopt", "delete"] as const;

/** The association RoleGate approved per service account key (absent: none in force). */
export async function approvedAssociations(prisma: Pick<PrismaClient, "requestItem">): Promise<Map<string, ApprovedState>> {
  const items = await prisma.requestItem.findMany({
    where: { status: "applied", kind: { in: [...ASSOCIATION_ITEM_KINDS] } },
    orderBy: [{ appliedAt: "asc" }, { position: "asc" }],
  });
  const out = new Map<string, ApprovedState>();
  for (const i of items) {
    const key = driftKey(i);
    if (i.kind === "delete") {
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

export async function computeDrift(prisma: Pick<PrismaClient, "requestItem" | "cluster">, at: Date = new Date()): Promise<DriftReport> {
  const approved = await approvedAssociations(prisma);
  const clusters = await prisma.cluster.findMany({ include: { associations: true }, orderBy: [{ accountId: "asc" }, { region: "asc" }, { name: "asc" }] });
  const findings: DriftFinding[] = [];
  const seen = new Set<string>();
  const reliable = new Set<string>();
  for (const c of clusters) {
    if (c.lastRefreshedAt && !c.lastRefreshError) reliable.add(`${c.accountId}/${c.region}/${c.name}`);
    for (const a of c.associations) {
      const loc = { accountId: c.accountId, region: c.region, cluster: c.name, namespace: a.namespace, serviceAccount: a.serviceAccount };
      const key = driftKey(loc);
      seen.add(key);
      const actual: ActualState = {
        associationId: a.associationId,
        roleArn: a.roleArn,
        targetRoleArn: a.targetRoleArn,
        disableSessionTags: a.disableSessionTags,
        ownerArn: a.ownerArn,
        awsModifiedAt: a.awsModifiedAt.toISOString(),
      };
      const want = approved.get(key);
      if (!want) {
        findings.push({ kind: "out-of-band", key, ...loc, actual, differences: [a.ownerArn ? `created outside RoleGate; owned by ${a.ownerArn}` : "created outside RoleGate"] });
        continue;
      }
      const diff = differences(want, actual);
      if (diff.length) findings.push({ kind: "changed", key, ...loc, approved: want, actual, differences: diff });
    }
  }
  for (const [key, want] of approved) {
    if (seen.has(key)) continue;
    const [accountId, region, cluster, namespace, serviceAccount] = key.split("/") as [string, string, string, string, string];
    if (!reliable.has(`${accountId}/${region}/${cluster}`)) continue;
    findings.push({ kind: "missing", key, accountId, region, cluster, namespace, serviceAccount, approved: want, differences: [`approved by request ${want.requestId}, not in AWS`] });
  }
  const order: Record<DriftKind, number> = { "out-of-band": 0, missing: 1, changed: 2 };
  findings.sort((x, y) => order[x.kind] - order[y.kind] || x.key.localeCompare(y.key));
  const counts = { "out-of-band": 0, missing: 0, changed: 0 } as Record<DriftKind, number>;
  for (const f of findings) counts[f.kind]++;
  return {
    computedAt: at.toISOString(),
    clusters: clusters.map((c) => ({ accountId: c.accountId, region: c.region, name: c.name, lastRefreshedAt: c.lastRefreshedAt?.toISOString() ?? null, lastRefreshError: c.lastRefreshError })),
    findings,
    counts,
  };
}
