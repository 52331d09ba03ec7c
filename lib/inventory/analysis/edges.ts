// Who can assume what: every edge service account -> role, per cluster.
import type { InventorySnapshot } from "../snapshot-types";
import { buildIrsaIndexSteps, irsaEdgesForClusterSteps, patternEdgesForClusterSteps } from "./irsa-index";
import type { Edge, EdgeSet, IndexedRole, IrsaEdge, PatternEdge, SaRoleMapping } from "./model";
import { podIdentityEdgesSteps } from "./pod-identity-edges";
import { clusterRefs, indexRoles } from "./roles";
import { runSteps, type Steps } from "./steps";

/** Edges from a snapshot; pass `roles` to reuse an index built with indexRoles(). */
export function computeEdges(snapshot: InventorySnapshot, roles: Map<string, IndexedRole> = indexRoles(snapshot)): EdgeSet {
  return runSteps(computeEdgesSteps(snapshot, roles));
}

/** computeEdges in small steps (see ./steps): the same edges in the same order. */
export function* computeEdgesSteps(snapshot: InventorySnapshot, roles: Map<string, IndexedRole>): Steps<EdgeSet> {
  const index = yield* buildIrsaIndexSteps(roles.values());
  const irsa: IrsaEdge[] = [];
  const patterns: PatternEdge[] = [];
  for (const ref of clusterRefs(snapshot)) {
    const edges = yield* irsaEdgesForClusterSteps(index, ref);
    // One push per edge: spreading 100k+ edges into push() overflows the stack.
    for (const e of edges) irsa.push(e);
    for (const p of yield* patternEdgesForClusterSteps(roles.values(), ref, edges)) patterns.push(p);
  }
  return { irsa, podIdentity: yield* podIdentityEdgesSteps(snapshot, roles), patterns };
}

export const edgeKey = (e: Pick<Edge, "clusterArn" | "namespace" | "serviceAccount" | "roleArn">) =>
  `${e.clusterArn}|${e.namespace}/${e.serviceAccount}|${e.roleArn}`;

/**
 * The per (cluster, SA, role) view: "both" when an IRSA edge and a Pod
 * Identity association meet (the association counts whether or not its trust
 * lets it through; see podIdentity.allowed).
 */
export function saRoleMappings(edges: EdgeSet): SaRoleMapping[] {
  return runSteps(saRoleMappingsSteps(edges));
}

export function* saRoleMappingsSteps(edges: EdgeSet): Steps<SaRoleMapping[]> {
  const out = new Map<string, SaRoleMapping>();
  let n = 0;
  for (const e of [...edges.irsa, ...edges.podIdentity]) {
    if (n++ % 500 === 0) yield;
    const key = edgeKey(e);
    const m = out.get(key) ?? {
      clusterArn: e.clusterArn,
      cluster: e.cluster,
      namespace: e.namespace,
      serviceAccount: e.serviceAccount,
      roleArn: e.roleArn,
      mechanism: e.mechanism,
    };
    if (e.mechanism === "irsa") m.irsa = e;
    else m.podIdentity = e;
    m.mechanism = m.irsa && m.podIdentity ? "both" : e.mechanism;
    out.set(key, m);
  }
  return [...out.values()];
}
