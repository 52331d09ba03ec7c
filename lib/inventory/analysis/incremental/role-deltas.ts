// The role side: a role's trust statements feed the shared IRSA index and two
// lookups by issuer path (broad grants, referenced EKS issuers) that later
// cluster and service account changes consult. A role change re-evaluates only
// that role: its IRSA edges on the clusters of the issuers it names, its
// pattern edges, and the Pod Identity edges of the associations using it.
import { hasWildcard, parseOidcProviderArn, type TrustGrants } from "@/lib/trust";
import type { SnapshotRole } from "../../snapshot-types";
import { isEksIssuerPath } from "../findings/types";
import { addRoleToIrsaIndex, buildIrsaIndex, irsaEdgesForCluster, irsaPathsOf, patternEdgesForCluster, removeRoleFromIrsaIndex } from "../irsa-index";
import type { IndexedRole } from "../model";
import { indexRole } from "../roles";
import { reevaluateAssociationsOf } from "./association-deltas";
import { addTo, takeFrom } from "./collections";
import type { EdgeChanges } from "./edge-changes";
import { dropIrsa, putIrsa, setPatterns } from "./irsa-edges";
import { nodeRolesOf, pairKey, type AnalysisIndex } from "./state";

/** Paths of Allow grants that make irsa-subject findings (no :sub, or a wildcard :sub). */
function broadPaths(grants: TrustGrants | null): string[] {
  if (!grants) return [];
  return grants.irsa.filter((g) => g.effect === "Allow" && (g.subjects === null || g.subjects.some((p) => p.kind === "wildcard" && hasWildcard(p.value)))).map((g) => g.providerPath);
}

/** EKS issuer paths a trust names in a Federated principal. */
function referencedPaths(r: IndexedRole): string[] {
  const out: string[] = [];
  for (const st of r.policy?.statements ?? []) {
    if (st.principal.kind !== "map") continue;
    for (const f of st.principal.federated) {
      const p = parseOidcProviderArn(f);
      if (p && isEksIssuerPath(p.path)) out.push(p.path);
    }
  }
  return out;
}

/** The per-role lookups other than the IRSA index (broad grants, referenced issuers). */
export function registerRole(index: AnalysisIndex, r: IndexedRole): void {
  for (const p of broadPaths(r.grants)) addTo(index.broadByPath, p, r.role.arn);
  for (const p of referencedPaths(r)) addTo(index.pathRefs, p, r.role.arn);
}
function unregisterRole(index: AnalysisIndex, r: IndexedRole): void {
  for (const p of broadPaths(r.grants)) takeFrom(index.broadByPath, p, r.role.arn);
  for (const p of referencedPaths(r)) takeFrom(index.pathRefs, p, r.role.arn);
}

export function applyRole(index: AnalysisIndex, roleArn: string, role: SnapshotRole | null, ch: EdgeChanges): void {
  const old = index.roles.get(roleArn);
  const at = index.snapshot.roles.findIndex((r) => r.arn === roleArn);
  let next: IndexedRole | undefined;
  if (role) {
    next = indexRole(role);
    if (at >= 0) index.snapshot.roles[at] = role;
    else index.snapshot.roles.push(role);
    index.roles.set(roleArn, next);
    if (!index.roleSeq.has(roleArn)) index.roleSeq.set(roleArn, index.nextSeq++);
  } else {
    if (at >= 0) index.snapshot.roles.splice(at, 1);
    index.roles.delete(roleArn);
    index.roleSeq.delete(roleArn);
  }
  if (old) {
    removeRoleFromIrsaIndex(index.irsa, old);
    unregisterRole(index, old);
  }
  // IRSA edges: the role alone, on the clusters of the issuers it names.
  for (const k of [...(index.irsaByRole.get(roleArn) ?? [])]) dropIrsa(index, k, ch);
  const touched = new Set(index.patternClusters.get(roleArn) ?? []);
  if (next) {
    addRoleToIrsaIndex(index.irsa, next);
    registerRole(index, next);
    const single = buildIrsaIndex([next]);
    const paths = irsaPathsOf(next);
    const refs = paths === null ? [...index.refs.values()] : [...paths].flatMap((p) => (index.clustersByPath.get(p) ?? []).map((c) => index.refs.get(c.arn)!));
    for (const ref of refs) {
      const edges = irsaEdgesForCluster(single, ref);
      for (const e of edges) putIrsa(index, e, ch);
      if (next.grants?.exact && single.byIssuer.has(ref.providerPath!)) {
        touched.delete(ref.cluster.arn);
        setPatterns(index, roleArn, ref.cluster.arn, patternEdgesForCluster([next], ref, edges), ch);
      }
    }
  }
  for (const clusterArn of touched) setPatterns(index, roleArn, clusterArn, [], ch);
  reevaluateAssociationsOf(index, roleArn, ch);
  // Findings.
  index.dirty.add(`role:${roleArn}`);
  for (const r of [old, next]) {
    for (const p of new Set(r?.grants?.irsa.filter((g) => g.effect === "Allow").map((g) => g.providerPath) ?? [])) {
      for (const c of index.clustersByPath.get(p) ?? []) index.dirty.add(`rc:${pairKey(roleArn, c.arn)}`);
    }
  }
  index.annotationRoles.add(roleArn);
  const existenceChanged = !old !== !next;
  for (const c of index.snapshot.clusters) {
    if (nodeRolesOf(c).includes(roleArn)) index.dirty.add(`node:${roleArn}`);
    if (existenceChanged && c.associations.some((a) => a.roleArn === roleArn)) for (const nr of nodeRolesOf(c)) index.dirty.add(`node:${nr}`);
  }
}
