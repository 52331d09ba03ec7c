// Who-can-assume analysis of an InventorySnapshot: pure functions, no I/O.
// Pages call analyzeSnapshot() once per snapshot and filter/page the result.
import type { InventorySnapshot } from "../snapshot-types";
import { computeEdges, saRoleMappings } from "./edges";
import { computeFindings, type Finding } from "./findings";
import type { EdgeSet, SaRoleMapping } from "./model";
import { indexRoles } from "./roles";

export * from "./model";
export { computeEdges, saRoleMappings, edgeKey } from "./edges";
export { computeFindings, type Finding, type FindingKind, type Fix, type Severity } from "./findings";
export { indexRoles } from "./roles";
export { checkRoleChain, type ChainCheck } from "./cross-account";

export interface SnapshotAnalysis {
  edges: EdgeSet;
  mappings: SaRoleMapping[];
  findings: Finding[];
}

export function analyzeSnapshot(snapshot: InventorySnapshot): SnapshotAnalysis {
  const roles = indexRoles(snapshot);
  const edges = computeEdges(snapshot, roles);
  return { edges, mappings: saRoleMappings(edges), findings: computeFindings(snapshot, { roles, edges }) };
}
