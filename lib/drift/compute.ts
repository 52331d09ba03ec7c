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
import { flat, objectInterner, stringInterner } from "@/lib/util/intern";
import { approvedAssociations, differences, driftKey, type ActualState, type DriftFinding, type DriftKind, type DriftKinds, type DriftReport } from "./state";

export { driftKey, differences, driftOf, type DriftFinding, type DriftKind, type DriftKinds, type DriftLocation, type DriftReport } from "./state";

/** The report lists its findings by kind in this order, each kind's as one run (findingsOfKind reads it). */
const KIND_ORDER: readonly DriftKind[] = ["out-of-band", "missing", "changed"];

/**
 * A report's findings of one kind (all of them without a kind): `total`, and `page(from, to)` cut from the kind's
 * run without looking at the other findings (an estate taken over late has 100,000 out-of-band findings).
 */
export function findingsOfKind(report: DriftReport, kind?: DriftKind): { total: number; slice(from: number, to: number): DriftFinding[] } {
  if (!kind) return { total: report.findings.length, slice: (from, to) => report.findings.slice(from, to) };
  const start = KIND_ORDER.slice(0, KIND_ORDER.indexOf(kind)).reduce((n, k) => n + report.counts[k], 0);
  const total = report.counts[kind];
  return { total, slice: (from, to) => report.findings.slice(start + Math.max(0, from), start + Math.min(total, to)) };
}

/** `kinds`: the item-kind registry, which says which applied items put an association in force or remove it. */
export async function computeDrift(prisma: Pick<PrismaClient, "requestItem" | "cluster">, kinds: DriftKinds, at: Date = new Date()): Promise<DriftReport> {
  const approved = await approvedAssociations(prisma, kinds);
  const clusters = await prisma.cluster.findMany({ include: { associations: true }, orderBy: [{ accountId: "asc" }, { region: "asc" }, { name: "asc" }] });
  const findings: DriftFinding[] = [];
  const seen = new Set<string>();
  const reliable = new Set<string>();
  // The report is kept while its tables do not change (current.ts): one copy of each value repeated over 100,000 rows.
  const intern = stringInterner();
  const orNull = (s: string | null) => (s === null ? null : intern(s));
  // An out-of-band finding's one difference names only its owner: equal lists are one list (never edited).
  const oneList = objectInterner<string[]>((list) => list[0]!);
  for (const c of clusters) {
    if (c.lastRefreshedAt && !c.lastRefreshError) reliable.add(`${c.accountId}/${c.region}/${c.name}`);
    for (const a of c.associations) {
      const loc = { accountId: c.accountId, region: c.region, cluster: c.name, namespace: intern(a.namespace), serviceAccount: intern(a.serviceAccount) };
      const key = flat(driftKey(loc));
      seen.add(key);
      const actual: ActualState = {
        associationId: a.associationId,
        roleArn: intern(a.roleArn),
        targetRoleArn: orNull(a.targetRoleArn),
        disableSessionTags: a.disableSessionTags,
        ownerArn: orNull(a.ownerArn),
        awsModifiedAt: intern(a.awsModifiedAt.toISOString()),
      };
      const want = approved.get(key);
      if (!want) {
        findings.push({ kind: "out-of-band", key, ...loc, actual, differences: oneList([a.ownerArn ? `created outside RoleGate; owned by ${a.ownerArn}` : "created outside RoleGate"]) });
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
  const rank = Object.fromEntries(KIND_ORDER.map((k, i) => [k, i])) as Record<DriftKind, number>;
  findings.sort((x, y) => rank[x.kind] - rank[y.kind] || x.key.localeCompare(y.key));
  const counts = { "out-of-band": 0, missing: 0, changed: 0 } as Record<DriftKind, number>;
  for (const f of findings) counts[f.kind]++;
  return {
    computedAt: at.toISOString(),
    clusters: clusters.map((c) => ({ accountId: c.accountId, region: c.region, name: c.name, lastRefreshedAt: c.lastRefreshedAt?.toISOString() ?? null, lastRefreshError: c.lastRefreshError })),
    findings,
    counts,
  };
}
