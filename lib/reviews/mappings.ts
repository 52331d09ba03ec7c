// The mappings a campaign covers, from the latest inventory scan's analysis:
// every Pod Identity association and every IRSA edge (a role whose trust lets
// the service account in), filtered by the scope.
import type { SnapshotAnalysis } from "@/lib/inventory/analysis";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import type { ReviewScope } from "./input";

export interface ScopedMapping {
  mechanism: "pod-identity" | "irsa";
  cluster: string;
  accountId: string;
  region: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationId: string | null;
  /** IRSA only: how the trust lets the SA in (exact subject, wildcard, no :sub, evaluated). */
  via: string | null;
}

const roleName = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

export function inScope(scope: ReviewScope, m: Pick<ScopedMapping, "mechanism" | "cluster" | "namespace" | "roleArn">): boolean {
  if (scope.mechanism && scope.mechanism !== m.mechanism) return false;
  if (scope.clusters?.length && !scope.clusters.includes(m.cluster)) return false;
  if (scope.namespaces?.length && !scope.namespaces.includes(m.namespace)) return false;
  if (scope.roles?.length && !scope.roles.some((r) => r === m.roleArn || r === roleName(m.roleArn))) return false;
  return true;
}

export function scopedMappings(snapshot: InventorySnapshot, analysis: SnapshotAnalysis, scope: ReviewScope): ScopedMapping[] {
  const where = new Map(snapshot.clusters.map((c) => [c.arn, { accountId: c.accountId, region: c.region }]));
  const out: ScopedMapping[] = [];
  for (const e of analysis.edges.podIdentity) {
    const loc = where.get(e.clusterArn);
    if (!loc) continue;
    const m: ScopedMapping = { mechanism: "pod-identity", cluster: e.cluster, ...loc, namespace: e.namespace, serviceAccount: e.serviceAccount, roleArn: e.roleArn, associationId: e.associationId, via: null };
    if (inScope(scope, m)) out.push(m);
  }
  for (const e of analysis.edges.irsa) {
    const loc = where.get(e.clusterArn);
    if (!loc) continue;
    const m: ScopedMapping = { mechanism: "irsa", cluster: e.cluster, ...loc, namespace: e.namespace, serviceAccount: e.serviceAccount, roleArn: e.roleArn, associationId: null, via: e.via };
    if (inScope(scope, m)) out.push(m);
  }
  const key = (m: ScopedMapping) => `${m.cluster}/${m.namespace}/${m.serviceAccount}/${m.mechanism}/${m.roleArn}`;
  return out.sort((a, b) => key(a).localeCompare(key(b)));
}
