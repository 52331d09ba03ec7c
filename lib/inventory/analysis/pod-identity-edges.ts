// Pod Identity edges: one per association, with whether the role's trust lets
// EKS Pod Identity through for that cluster/namespace/SA (and the chained
// cross-account target, when set).
import { canAssume, podIdentityDecision } from "@/lib/trust";
import type { InventorySnapshot, SnapshotAssociation, SnapshotCluster } from "../snapshot-types";
import { checkRoleChain } from "./cross-account";
import type { CrossAccountTarget, IndexedRole, PodIdentityEdge } from "./model";
import { accountOfArn, accountScanned } from "./roles";
import { runSteps, type Steps } from "./steps";

function targetOf(snapshot: InventorySnapshot, roles: Map<string, IndexedRole>, sourceRoleArn: string, targetRoleArn: string, externalId: string | undefined, sessionTags: boolean): CrossAccountTarget {
  const target = roles.get(targetRoleArn);
  if (!target) {
    const scanned = accountScanned(snapshot, accountOfArn(targetRoleArn));
    return { roleArn: targetRoleArn, exists: scanned ? false : null, allowed: scanned ? false : null, reason: scanned ? "target role does not exist" : "target account was not scanned" };
  }
  if (!target.policy) return { roleArn: targetRoleArn, exists: true, allowed: null, reason: `target trust policy unreadable: ${target.parseError}` };
  const check = checkRoleChain(target.policy, sourceRoleArn, externalId, sessionTags);
  return { roleArn: targetRoleArn, exists: true, allowed: check.allowed, reason: check.reason };
}

export function podIdentityEdges(snapshot: InventorySnapshot, roles: Map<string, IndexedRole>): PodIdentityEdge[] {
  return runSteps(podIdentityEdgesSteps(snapshot, roles));
}

/** podIdentityEdges one association per step. */
export function* podIdentityEdgesSteps(snapshot: InventorySnapshot, roles: Map<string, IndexedRole>): Steps<PodIdentityEdge[]> {
  const out: PodIdentityEdge[] = [];
  for (const cluster of snapshot.clusters) {
    for (const a of cluster.associations) {
      yield;
      out.push(podIdentityEdge(snapshot, roles, cluster, a));
    }
  }
  return out;
}

/** The edge of one association: reads the role and the cross-account target in `roles`, nothing else of other associations. */
export function podIdentityEdge(snapshot: InventorySnapshot, roles: Map<string, IndexedRole>, cluster: SnapshotCluster, a: SnapshotAssociation): PodIdentityEdge {
  const sessionTags = !a.disableSessionTags;
  const r = roles.get(a.roleArn);
  let allowed = false;
  let reason: string;
  if (!r) reason = "role does not exist (or its account was not scanned)";
  else if (!r.policy || !r.grants) reason = `trust policy unreadable: ${r.parseError}`;
  else {
    const fast = sessionTags ? podIdentityDecision(r.grants) : r.grants.podIdentity.trusted ? undefined : false;
    if (fast === true) {
      allowed = true;
      reason = "trust allows pods.eks.amazonaws.com without conditions";
    } else if (fast === false) {
      reason = "trust does not allow pods.eks.amazonaws.com to call sts:AssumeRole";
    } else {
      const res = canAssume(r.policy, { mechanism: "pod-identity", namespace: a.namespace, serviceAccount: a.serviceAccount, clusterArn: cluster.arn, sessionTags });
      allowed = res.allowed;
      reason = res.reason;
    }
  }
  return {
    mechanism: "pod-identity",
    clusterArn: cluster.arn,
    cluster: cluster.name,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    roleArn: a.roleArn,
    associationId: a.associationId,
    sessionTags,
    addonOwned: a.ownerArn !== undefined,
    roleExists: r !== undefined,
    allowed,
    reason,
    ...(a.targetRoleArn ? { target: targetOf(snapshot, roles, a.roleArn, a.targetRoleArn, a.externalId, sessionTags) } : {}),
  };
}
