// The IRSA and pattern edges the index holds, with the lookups a delta needs
// to find them again (by role, by service account, by role x cluster). Every
// write goes through here so the lookups never drift from the edges, and each
// write is recorded in the delta's EdgeChanges.
import { edgeKey } from "../edges";
import { patternEdgesForCluster } from "../irsa-index";
import type { IrsaEdge, PatternEdge } from "../model";
import type { SnapshotCluster } from "../../snapshot-types";
import { addTo, takeFrom } from "./collections";
import type { EdgeChanges } from "./edge-changes";
import { pairKey, saKeyOf, type AnalysisIndex } from "./state";

export function putIrsa(index: AnalysisIndex, e: IrsaEdge, ch: EdgeChanges): void {
  const key = edgeKey(e);
  index.irsaEdges.set(key, e);
  addTo(index.irsaByRole, e.roleArn, key);
  addTo(index.irsaBySa, saKeyOf(e.clusterArn, e.namespace, e.serviceAccount), key);
  ch.added.push(e);
}
export function dropIrsa(index: AnalysisIndex, key: string, ch: EdgeChanges): void {
  const e = index.irsaEdges.get(key);
  if (!e) return;
  index.irsaEdges.delete(key);
  takeFrom(index.irsaByRole, e.roleArn, key);
  takeFrom(index.irsaBySa, saKeyOf(e.clusterArn, e.namespace, e.serviceAccount), key);
  ch.removed.push(e);
}

export function setPatterns(index: AnalysisIndex, roleArn: string, clusterArn: string, list: PatternEdge[], ch: EdgeChanges): void {
  const key = pairKey(roleArn, clusterArn);
  const old = index.patterns.get(key);
  if (old) ch.patterns.removed.push(...old);
  if (list.length) {
    index.patterns.set(key, list);
    addTo(index.patternClusters, roleArn, clusterArn);
    ch.patterns.added.push(...list);
  } else {
    index.patterns.delete(key);
    takeFrom(index.patternClusters, roleArn, clusterArn);
  }
}

/** A role's IRSA edges on one cluster, in service account order. */
function roleEdgesIn(index: AnalysisIndex, roleArn: string, c: SnapshotCluster): IrsaEdge[] {
  let pos = index.saPos.get(c.arn);
  if (!pos) index.saPos.set(c.arn, (pos = new Map(c.serviceAccounts.map((s, i) => [`${s.namespace}/${s.name}`, i]))));
  const edges = [...(index.irsaByRole.get(roleArn) ?? [])].map((k) => index.irsaEdges.get(k)!).filter((e) => e.clusterArn === c.arn);
  return edges.sort((a, b) => pos.get(`${a.namespace}/${a.serviceAccount}`)! - pos.get(`${b.namespace}/${b.serviceAccount}`)!);
}

/** A role's pattern edges on one cluster again, after its IRSA edges there changed (a pattern edge lists the SAs those edges admit). */
export function refreshPatterns(index: AnalysisIndex, roleArn: string, clusterArn: string, ch: EdgeChanges): void {
  const r = index.roles.get(roleArn);
  const ref = index.refs.get(clusterArn);
  if (!r || !ref) return setPatterns(index, roleArn, clusterArn, [], ch);
  setPatterns(index, roleArn, clusterArn, patternEdgesForCluster([r], ref, roleEdgesIn(index, roleArn, ref.cluster)), ch);
}
