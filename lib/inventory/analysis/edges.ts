// Who can assume what: every edge service account -> role, per cluster.
import type { InventorySnapshot } from "../snapshot-types";
import { buildIrsaIndex, irsaEdgesForCluster, patternEdgesForCluster } from "./irsa-index";
import type { Edge, EdgeSet, IndexedRole, SaRoleMapping } from "./model";
import { podIdentityEdges } from "./pod-identity-edges";
import { clusterRefs, indexRoles } from "./roles";

/** Edges from a snapshot; pass `roles` to reuse an index built with indexRoles(). */
export function computeEdges(snapshot: InventorySnapshot, roles: Map<string, IndexedRole> = indexRoles(snapshot)): EdgeSet {
  const index = buildIrsaIndex(roles.values());
  const irsa = [];
  const patterns = [];
  for (const ref of clusterRefs(snapshot)) {
    const edges = irsaEdgesForCluster(index, ref);
    irsa.push(...edges);
    patterns.push(...patternEdgesForCluster(roles.values(), ref, edges));
  }
  return { irsa, podIdentity: podIdentityEdges(snapshot, roles), patterns };
}

export const edgeKey = (e: Pick<Edge, "clusterArn" | "namespace" | "serviceAccount" | "roleArn">) =>
  `${e.clusterArn}|${e.namespace}/${e.serviceAccount}|${e.roleArn}`;

/**
 * The per (cluster, SA, role) view: "both" when an IRSA edge and a Pod
 * Identity association meet (the association counts whether or not its trust
 * lets it through; see podIdentity.allowed).
 */
export function saRoleMappings(edges: EdgeSet): SaRoleMapping[] {
  const out = new Map<string, SaRoleMapping>();
  for (const e of [...edges.irsa, ...edges.podIdentity]) {
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
