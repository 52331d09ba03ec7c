// A change to the analysis input between scans: one role, service account,
// association, OIDC provider or cluster added, changed or removed. The CloudTrail
// consumer builds these from single events; diffSnapshots() derives them from
// two scans. Upserts replace the item with the same key in place (order kept)
// or append it, as the next scan would list it.
import type { InventorySnapshot, SnapshotAssociation, SnapshotCluster, SnapshotOidcProvider, SnapshotRole } from "../../snapshot-types";

export type SnapshotServiceAccount = SnapshotCluster["serviceAccounts"][number];

export type AnalysisDelta =
  | { kind: "role-upsert"; role: SnapshotRole }
  | { kind: "role-remove"; roleArn: string }
  | { kind: "service-account-upsert"; clusterArn: string; serviceAccount: SnapshotServiceAccount }
  | { kind: "service-account-remove"; clusterArn: string; namespace: string; name: string }
  | { kind: "association-upsert"; clusterArn: string; association: SnapshotAssociation }
  | { kind: "association-remove"; clusterArn: string; associationId: string }
  | { kind: "oidc-provider-upsert"; provider: SnapshotOidcProvider }
  | { kind: "oidc-provider-remove"; arn: string }
  | { kind: "cluster-upsert"; cluster: SnapshotCluster }
  | { kind: "cluster-remove"; clusterArn: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Do the keys both lists share appear in the same relative order? */
function sameRelativeOrder(a: string[], b: string[]): boolean {
  const inB = new Set(b);
  const inA = new Set(a);
  const x = a.filter((k) => inB.has(k));
  const y = b.filter((k) => inA.has(k));
  return x.every((k, i) => k === y[i]);
}

/** upsert/remove deltas for one keyed list. */
function diffList<T>(prev: T[], next: T[], key: (t: T) => string, upsert: (t: T) => AnalysisDelta, remove: (t: T) => AnalysisDelta): AnalysisDelta[] {
  const before = new Map(prev.map((t) => [key(t), t]));
  const after = new Set(next.map(key));
  const out: AnalysisDelta[] = [];
  for (const [k, t] of before) if (!after.has(k)) out.push(remove(t));
  for (const t of next) {
    const old = before.get(key(t));
    if (!old || !same(old, t)) out.push(upsert(t));
  }
  return out;
}

const saKey = (s: SnapshotServiceAccount) => `${s.namespace}/${s.name}`;
/** Everything of a cluster but its service accounts and associations (those get their own deltas). */
const clusterRest = (c: SnapshotCluster) => {
  const { serviceAccounts: _sas, associations: _assocs, ...rest } = c;
  return rest;
};

/**
 * The deltas that turn `prev` into `next`, or null when only a full analysis
 * will do: accounts or scan errors changed (they decide whether a missing role
 * "does not exist"), or clusters were reordered. A cluster whose own fields or
 * pods changed, or whose service accounts / associations were reordered,
 * becomes one cluster-upsert.
 */
export function diffSnapshots(prev: InventorySnapshot, next: InventorySnapshot): AnalysisDelta[] | null {
  if (!same(prev.accounts, next.accounts) || !same(prev.errors, next.errors)) return null;
  if (!sameRelativeOrder(prev.clusters.map((c) => c.arn), next.clusters.map((c) => c.arn))) return null;
  const out: AnalysisDelta[] = diffList(prev.roles, next.roles, (r) => r.arn, (role) => ({ kind: "role-upsert", role }), (r) => ({ kind: "role-remove", roleArn: r.arn }));
  const before = new Map(prev.clusters.map((c) => [c.arn, c]));
  const after = new Set(next.clusters.map((c) => c.arn));
  for (const c of prev.clusters) if (!after.has(c.arn)) out.push({ kind: "cluster-remove", clusterArn: c.arn });
  for (const c of next.clusters) {
    const old = before.get(c.arn);
    const reordered = old && (!sameRelativeOrder(old.serviceAccounts.map(saKey), c.serviceAccounts.map(saKey)) || !sameRelativeOrder(old.associations.map((a) => a.associationId), c.associations.map((a) => a.associationId)));
    if (!old || reordered || !same(clusterRest(old), clusterRest(c))) {
      out.push({ kind: "cluster-upsert", cluster: c });
      continue;
    }
    out.push(
      ...diffList(old.serviceAccounts, c.serviceAccounts, saKey, (serviceAccount) => ({ kind: "service-account-upsert", clusterArn: c.arn, serviceAccount }), (s) => ({ kind: "service-account-remove", clusterArn: c.arn, namespace: s.namespace, name: s.name })),
      ...diffList(old.associations, c.associations, (a) => a.associationId, (association) => ({ kind: "association-upsert", clusterArn: c.arn, association }), (a) => ({ kind: "association-remove", clusterArn: c.arn, associationId: a.associationId })),
    );
  }
  out.push(...diffList(prev.oidcProviders, next.oidcProviders, (p) => p.arn, (provider) => ({ kind: "oidc-provider-upsert", provider }), (p) => ({ kind: "oidc-provider-remove", arn: p.arn })));
  return out;
}
