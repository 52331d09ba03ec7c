// Building the index: the full analysis's work done once (every role parsed,
// every cluster's edges computed), kept in the lookups the deltas use, with
// every finding unit marked so the first findingsOf() computes them all.
// In steps, so the web process can build it without holding the event loop.
import type { InventorySnapshot } from "../../snapshot-types";
import { buildIrsaIndexSteps } from "../irsa-index";
import { indexRole } from "../roles";
import { runSteps, runStepsYielding, type Steps } from "../steps";
import { addClusterEdgesSteps, rebuildClusterMaps } from "./cluster-deltas";
import { newChanges } from "./edge-changes";
import { registerRole } from "./role-deltas";
import { modelCopy, type AnalysisIndex } from "./state";

export function buildAnalysisIndex(snapshot: InventorySnapshot): AnalysisIndex {
  return runSteps(buildAnalysisIndexSteps(snapshot));
}

/** buildAnalysisIndex without holding the event loop for more than `sliceMs` at a time (the web process). */
export function buildAnalysisIndexAsync(snapshot: InventorySnapshot, sliceMs?: number): Promise<AnalysisIndex> {
  return runStepsYielding(buildAnalysisIndexSteps(snapshot), sliceMs);
}

/** buildAnalysisIndex in steps (see ../steps): a role parsed, a service account matched, an association checked. */
export function* buildAnalysisIndexSteps(snapshot: InventorySnapshot): Steps<AnalysisIndex> {
  const own = modelCopy(snapshot);
  const index: AnalysisIndex = {
    snapshot: own, roles: new Map(), roleSeq: new Map(), nextSeq: 0, irsa: { byIssuer: new Map(), inexact: [] }, refs: new Map(), clustersByPath: new Map(),
    irsaEdges: new Map(), irsaByRole: new Map(), irsaBySa: new Map(), patterns: new Map(), patternClusters: new Map(), podIdentity: new Map(),
    associations: new Map(), assocByRole: new Map(), broadByPath: new Map(), pathRefs: new Map(), saPos: new Map(), units: new Map(), staleRefs: new Map(),
    dirty: new Set(), annotationRoles: new Set(), findings: null,
  };
  for (const role of own.roles) {
    yield;
    const r = indexRole(role);
    index.roles.set(role.arn, r);
    index.roleSeq.set(role.arn, index.nextSeq++);
    registerRole(index, r);
  }
  index.irsa = yield* buildIrsaIndexSteps(index.roles.values());
  rebuildClusterMaps(index);
  for (const c of own.clusters) yield* addClusterEdgesSteps(index, c, newChanges());
  for (const arn of index.roles.keys()) index.dirty.add(`role:${arn}`);
  for (const p of own.oidcProviders) index.dirty.add(`provider:${p.arn}`);
  return index;
}
