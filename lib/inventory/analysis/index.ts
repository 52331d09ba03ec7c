// Who-can-assume analysis of an InventorySnapshot: pure functions, no I/O.
// The web process calls analyzeSnapshotAsync() once per snapshot (it yields to
// the event loop, see ./steps) and pages filter/page the result; tests, the CLI
// and the benchmark use the synchronous analyzeSnapshot(), the same code.
import type { InventorySnapshot } from "../snapshot-types";
import { computeEdgesSteps, saRoleMappingsSteps } from "./edges";
import { computeFindingsSteps, type Finding } from "./findings";
import type { EdgeSet, SaRoleMapping } from "./model";
import { indexRolesSteps } from "./roles";
import { runSteps, runStepsYielding, type Steps } from "./steps";

export * from "./model";
export { computeEdges, saRoleMappings, edgeKey } from "./edges";
export { computeFindings, type Finding, type FindingKind, type Fix, type Severity } from "./findings";
export { indexRoles } from "./roles";
export { runSteps, runStepsYielding, type Steps } from "./steps";
export { checkRoleChain, type ChainCheck } from "./cross-account";
export * as incremental from "./incremental";

export interface SnapshotAnalysis {
  edges: EdgeSet;
  mappings: SaRoleMapping[];
  findings: Finding[];
}

export function* analyzeSnapshotSteps(snapshot: InventorySnapshot): Steps<SnapshotAnalysis> {
  const roles = yield* indexRolesSteps(snapshot);
  const edges = yield* computeEdgesSteps(snapshot, roles);
  const mappings = yield* saRoleMappingsSteps(edges);
  return { edges, mappings, findings: yield* computeFindingsSteps(snapshot, roles, edges) };
}

export function analyzeSnapshot(snapshot: InventorySnapshot): SnapshotAnalysis {
  return runSteps(analyzeSnapshotSteps(snapshot));
}

/** analyzeSnapshot without holding the event loop for more than `sliceMs` at a time. */
export function analyzeSnapshotAsync(snapshot: InventorySnapshot, sliceMs?: number): Promise<SnapshotAnalysis> {
  return runStepsYielding(analyzeSnapshotSteps(snapshot), sliceMs);
}
