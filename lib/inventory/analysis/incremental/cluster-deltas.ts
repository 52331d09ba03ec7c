// The cluster and service account side: a cluster's edges computed against
// the shared IRSA index (all its SAs, its pattern edges, its associations) or
// taken out again, and a single service account matched alone. Changes here
// also mark the finding units that count SAs on the cluster's issuer.
import { normalizeIssuer } from "@/lib/trust";
import type { SnapshotCluster } from "../../snapshot-types";
import { irsaEdgesForClusterSteps, irsaEdgesForServiceAccounts, patternEdgesForClusterSteps } from "../irsa-index";
import type { IndexedRole, PatternEdge } from "../model";
import { runSteps, type Steps } from "../steps";
import type { SnapshotServiceAccount } from "./delta";
import { dropAssociation, putAssociation } from "./association-deltas";
import { removeIn, upsertIn } from "./collections";
import type { EdgeChanges } from "./edge-changes";
import { dropIrsa, putIrsa, refreshPatterns, setPatterns } from "./irsa-edges";
import { assocKeyOf, markCluster, ownCluster, pairKey, saKeyOf, type AnalysisIndex } from "./state";

export function rebuildClusterMaps(index: AnalysisIndex): void {
  index.refs.clear();
  index.clustersByPath.clear();
  for (const c of index.snapshot.clusters) {
    const providerPath = c.oidcIssuer ? normalizeIssuer(c.oidcIssuer) : null;
    index.refs.set(c.arn, { cluster: c, providerPath });
    if (providerPath) index.clustersByPath.set(providerPath, [...(index.clustersByPath.get(providerPath) ?? []), c]);
  }
}

export function* addClusterEdgesSteps(index: AnalysisIndex, c: SnapshotCluster, ch: EdgeChanges): Steps<void> {
  const ref = index.refs.get(c.arn)!;
  const edges = yield* irsaEdgesForClusterSteps(index.irsa, ref);
  for (let i = 0; i < edges.length; i++) {
    if (i % 1000 === 0) yield;
    putIrsa(index, edges[i]!, ch);
  }
  if (ref.providerPath) {
    const idx = index.irsa.byIssuer.get(ref.providerPath);
    // Pattern edges come from aud-only and wildcard grants of exact policies: the anySa and wildcard entries.
    const roles = new Set<IndexedRole>(idx?.anySa ?? []);
    for (const list of [...(idx?.wildcardByNs.values() ?? []), idx?.wildcardOther ?? []]) for (const w of list) roles.add(w.role);
    const byRole = new Map<string, PatternEdge[]>();
    for (const p of yield* patternEdgesForClusterSteps(roles, ref, edges)) byRole.set(p.roleArn, [...(byRole.get(p.roleArn) ?? []), p]);
    for (const [roleArn, list] of byRole) setPatterns(index, roleArn, c.arn, list, ch);
    for (const roleArn of index.broadByPath.get(ref.providerPath) ?? []) index.dirty.add(`rc:${pairKey(roleArn, c.arn)}`);
  }
  for (const a of c.associations) {
    yield;
    putAssociation(index, c, a, ch);
  }
  markCluster(index, c);
}

function removeClusterEdges(index: AnalysisIndex, c: SnapshotCluster, ch: EdgeChanges): void {
  for (const sa of c.serviceAccounts) for (const k of [...(index.irsaBySa.get(saKeyOf(c.arn, sa.namespace, sa.name)) ?? [])]) dropIrsa(index, k, ch);
  for (const [roleArn, clusters] of [...index.patternClusters]) if (clusters.has(c.arn)) setPatterns(index, roleArn, c.arn, [], ch);
  for (const a of c.associations) dropAssociation(index, assocKeyOf(c.arn, a.associationId), ch);
  const path = index.refs.get(c.arn)?.providerPath;
  if (path) for (const roleArn of index.broadByPath.get(path) ?? []) index.dirty.add(`rc:${pairKey(roleArn, c.arn)}`);
  index.saPos.delete(c.arn);
  markCluster(index, c);
}

export function applyServiceAccount(index: AnalysisIndex, clusterArn: string, namespace: string, name: string, sa: SnapshotServiceAccount | null, ch: EdgeChanges): void {
  const ref = index.refs.get(clusterArn);
  if (!ref) return;
  const c = ref.cluster;
  const same = (s: SnapshotServiceAccount) => s.namespace === namespace && s.name === name;
  if (sa) upsertIn(c.serviceAccounts, sa, same);
  else removeIn(c.serviceAccounts, same);
  index.saPos.delete(clusterArn);
  const key = saKeyOf(clusterArn, namespace, name);
  const affected = new Set<string>();
  for (const k of [...(index.irsaBySa.get(key) ?? [])]) {
    affected.add(index.irsaEdges.get(k)!.roleArn);
    dropIrsa(index, k, ch);
  }
  if (sa) {
    for (const e of irsaEdgesForServiceAccounts(index.irsa, ref, [sa])) {
      affected.add(e.roleArn);
      putIrsa(index, e, ch);
    }
  }
  for (const roleArn of affected) if (index.patterns.has(pairKey(roleArn, clusterArn))) refreshPatterns(index, roleArn, clusterArn, ch);
  markCluster(index, c);
  if (ref.providerPath) for (const roleArn of index.broadByPath.get(ref.providerPath) ?? []) index.dirty.add(`rc:${pairKey(roleArn, clusterArn)}`);
}

export function applyCluster(index: AnalysisIndex, clusterArn: string, cluster: SnapshotCluster | null, ch: EdgeChanges): void {
  const old = index.refs.get(clusterArn);
  const pathsBefore = new Set(index.clustersByPath.keys());
  if (old) removeClusterEdges(index, old.cluster, ch);
  const same = (c: SnapshotCluster) => c.arn === clusterArn;
  if (cluster) upsertIn(index.snapshot.clusters, ownCluster(cluster), same);
  else removeIn(index.snapshot.clusters, same);
  rebuildClusterMaps(index);
  if (cluster) runSteps(addClusterEdgesSteps(index, index.refs.get(clusterArn)!.cluster, ch));
  // Issuers that appeared or disappeared: deleted-cluster findings of the roles naming them, orphan providers.
  const pathsAfter = new Set(index.clustersByPath.keys());
  for (const p of new Set([...pathsBefore, ...pathsAfter])) {
    if (pathsBefore.has(p) === pathsAfter.has(p)) continue;
    for (const roleArn of index.pathRefs.get(p) ?? []) index.dirty.add(`role:${roleArn}`);
    for (const prov of index.snapshot.oidcProviders) index.dirty.add(`provider:${prov.arn}`);
  }
}
