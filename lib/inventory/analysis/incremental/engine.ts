// Incremental who-can-assume analysis. buildAnalysisIndex() computes what the
// full analysis computes once and keeps it keyed by what it depends on; a delta
// (./delta) then re-evaluates only what it can affect:
//  - a role: its own IRSA edges (the role alone against the SAs of the clusters
//    whose issuers it names), its pattern edges, and the Pod Identity edges of
//    the associations that use it as role or cross-account target;
//  - a service account: its edges against the shared IRSA index, and the
//    pattern edges of the roles it gained or lost;
//  - an association: its own edge; a cluster: its SAs and associations.
// Findings are kept per unit (cluster, role, role x cluster, association, node
// role, OIDC provider); a delta marks the units it touches and findingsOf()
// recomputes those with the same per-unit functions the full analysis runs.
// The result equals analyzeSnapshot() of the same model (tests/analysis/
// incremental.test.ts); edge and finding order is not part of the contract.
// This file is the engine's face: the parts live beside it (state, build,
// role-, cluster- and association-deltas, irsa-edges, finding-units, apply,
// rescan), each importing only the ones below it.
import { saRoleMappings } from "../edges";
import type { EdgeSet } from "../model";
import type { SnapshotAnalysis } from "..";
import { findingsOf } from "./finding-units";
import type { AnalysisIndex } from "./state";

export { applyDelta, applyDeltas } from "./apply";
export { buildAnalysisIndex, buildAnalysisIndexAsync, buildAnalysisIndexSteps } from "./build";
export type { EdgeChanges } from "./edge-changes";
export { findingsOf, findingsOfAsync, findingsOfSteps } from "./finding-units";
export { updateAnalysisIndex } from "./rescan";
export { modelCopy, type AnalysisIndex } from "./state";

export function edgesOf(index: AnalysisIndex): EdgeSet {
  return { irsa: [...index.irsaEdges.values()], podIdentity: [...index.podIdentity.values()], patterns: [...index.patterns.values()].flat() };
}

/** What analyzeSnapshot() returns, from the index. */
export function analysisOf(index: AnalysisIndex): SnapshotAnalysis {
  const edges = edgesOf(index);
  return { edges, mappings: saRoleMappings(edges), findings: findingsOf(index) };
}
