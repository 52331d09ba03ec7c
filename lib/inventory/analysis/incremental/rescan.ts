// Bringing the index to a new scan of the same estate: the deltas between its
// model and the scan, applied incrementally, then the scan's list order taken
// (deltas append what they add, but findings and recomputed parts read order).
import type { InventorySnapshot } from "../../snapshot-types";
import { applyDeltas } from "./apply";
import { buildAnalysisIndex } from "./build";
import { rebuildClusterMaps } from "./cluster-deltas";
import { diffSnapshots } from "./delta";
import type { EdgeChanges } from "./edge-changes";
import { nodeRolesOf, type AnalysisIndex } from "./state";

/**
 * Brings the index to a new scan of the same estate: the deltas between its
 * model and `next`, applied incrementally, or a fresh index when diffSnapshots
 * says only a full analysis will do. Returns the index to keep using.
 */
export function updateAnalysisIndex(index: AnalysisIndex, next: InventorySnapshot): { index: AnalysisIndex; deltas: number | null; changes: EdgeChanges | null } {
  const deltas = diffSnapshots(index.snapshot, next);
  if (!deltas) return { index: buildAnalysisIndex(next), deltas: null, changes: null };
  // Lists that only gain or lose items take next's order first, so recomputed parts read it.
  const nextClusters = new Map(next.clusters.map((c) => [c.arn, c]));
  for (const c of index.snapshot.clusters) {
    const n = nextClusters.get(c.arn);
    if (!n || deltas.some((d) => d.kind === "cluster-upsert" && d.cluster.arn === c.arn)) continue;
    c.serviceAccounts.splice(0, c.serviceAccounts.length, ...n.serviceAccounts);
    c.associations.splice(0, c.associations.length, ...n.associations);
    index.saPos.delete(c.arn);
  }
  const changes = applyDeltas(index, deltas);
  const snap = index.snapshot as { scannedAt: string };
  snap.scannedAt = next.scannedAt;
  reorder(index, next);
  return { index, deltas: deltas.length, changes };
}

/** Items added by deltas were appended; take next's order where it differs (roles, clusters, providers). */
function reorder(index: AnalysisIndex, next: InventorySnapshot): void {
  const s = index.snapshot;
  if (s.roles.some((r, i) => r.arn !== next.roles[i]?.arn)) {
    const byArn = new Map(s.roles.map((r) => [r.arn, r]));
    s.roles.splice(0, s.roles.length, ...next.roles.map((r) => byArn.get(r.arn)!));
    const indexed = new Map(index.roles);
    index.roles.clear();
    index.roleSeq.clear();
    index.nextSeq = 0;
    for (const r of s.roles) {
      index.roles.set(r.arn, indexed.get(r.arn)!);
      index.roleSeq.set(r.arn, index.nextSeq++);
    }
    for (const p of s.oidcProviders) index.dirty.add(`provider:${p.arn}`);
  }
  if (s.clusters.some((c, i) => c.arn !== next.clusters[i]?.arn)) {
    const byArn = new Map(s.clusters.map((c) => [c.arn, c]));
    s.clusters.splice(0, s.clusters.length, ...next.clusters.map((c) => byArn.get(c.arn)!));
    rebuildClusterMaps(index);
    for (const c of s.clusters) for (const nr of nodeRolesOf(c)) index.dirty.add(`node:${nr}`);
  }
  if (s.oidcProviders.some((p, i) => p.arn !== next.oidcProviders[i]?.arn)) s.oidcProviders.splice(0, s.oidcProviders.length, ...next.oidcProviders);
  index.findings = null;
}
