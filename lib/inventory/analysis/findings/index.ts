// All findings of a snapshot, sorted by severity then id.
import type { InventorySnapshot } from "../../snapshot-types";
import type { EdgeSet, IndexedRole } from "../model";
import { addonMissingFindings } from "./addon-missing";
import { associationRoleFindings } from "./association-role";
import { bothMechanismsFindings } from "./both-mechanisms";
import { analysisContext } from "./context";
import { deletedClusterFindings } from "./deleted-cluster-issuer";
import { irsaAnnotationFindings } from "./irsa-annotation";
import { irsaSubjectFindings } from "./irsa-subjects";
import { nodeRoleFindings } from "./node-role";
import { podIdentityTrustFindings } from "./pod-identity-trust";
import { podFindings } from "./pods";
import type { Finding, Severity } from "./types";

export * from "./types";
export { analysisContext } from "./context";

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export function computeFindings(snapshot: InventorySnapshot, opts: { roles?: Map<string, IndexedRole>; edges?: EdgeSet } = {}): Finding[] {
  const ctx = analysisContext(snapshot, opts.roles, opts.edges);
  const all = [
    addonMissingFindings,
    nodeRoleFindings,
    podIdentityTrustFindings,
    associationRoleFindings,
    deletedClusterFindings,
    irsaSubjectFindings,
    irsaAnnotationFindings,
    podFindings,
    bothMechanismsFindings,
  ].flatMap((f) => f(ctx));
  return all.sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.id.localeCompare(b.id));
}
