// All findings of a snapshot, sorted by severity then id.
import type { InventorySnapshot } from "../../snapshot-types";
import { computeEdges } from "../edges";
import type { EdgeSet, IndexedRole } from "../model";
import { indexRoles } from "../roles";
import { runSteps, type Steps } from "../steps";
import { addonMissingFindings } from "./addon-missing";
import { associationRoleFindings } from "./association-role";
import { bothMechanismsFindings } from "./both-mechanisms";
import { analysisContextSteps } from "./context";
import { deletedClusterFindingsSteps } from "./deleted-cluster-issuer";
import { irsaAnnotationFindings } from "./irsa-annotation";
import { irsaSubjectFindingsSteps } from "./irsa-subjects";
import { nodeRoleFindings } from "./node-role";
import { podIdentityTrustFindingsSteps } from "./pod-identity-trust";
import { podFindings } from "./pods";
import type { AnalysisContext, Finding, Severity } from "./types";

export * from "./types";
export { analysisContext } from "./context";

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** Severity first, then id (in place; stable, so ties keep their order). */
export const sortFindings = (all: Finding[]): Finding[] => all.sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.id.localeCompare(b.id));

export function computeFindings(snapshot: InventorySnapshot, opts: { roles?: Map<string, IndexedRole>; edges?: EdgeSet } = {}): Finding[] {
  const roles = opts.roles ?? indexRoles(snapshot);
  return runSteps(computeFindingsSteps(snapshot, roles, opts.edges ?? computeEdges(snapshot, roles)));
}

type FindingSource = (ctx: AnalysisContext) => Finding[] | Steps<Finding[]>;

const SOURCES: FindingSource[] = [
  addonMissingFindings,
  nodeRoleFindings,
  podIdentityTrustFindingsSteps,
  associationRoleFindings,
  deletedClusterFindingsSteps,
  irsaSubjectFindingsSteps,
  irsaAnnotationFindings,
  podFindings,
  bothMechanismsFindings,
];

/** computeFindings in steps (see ../steps): a step per source, finer inside the slow ones. */
export function* computeFindingsSteps(snapshot: InventorySnapshot, roles: Map<string, IndexedRole>, edges: EdgeSet): Steps<Finding[]> {
  const ctx = yield* analysisContextSteps(snapshot, roles, edges);
  const all: Finding[] = [];
  for (const source of SOURCES) {
    yield;
    const found = source(ctx);
    for (const f of Array.isArray(found) ? found : yield* found) all.push(f);
  }
  yield;
  return sortFindings(all);
}
