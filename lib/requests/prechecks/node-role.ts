// The node role must be allowed eks-auth:AssumeRoleForPodIdentity on the role.
// Some organisations restrict that permission's Resource to the exhaustive list
// of mapped roles: then a new mapping fails until the node role's policy names
// it. Fix: the node role's inline policy rewritten with the exhaustive list
// (lib/inventory/fixes/node-role-policy), ready to become an IAM item.
import { correctNodeRolePolicy, POD_IDENTITY_NODE_ACTION } from "@/lib/inventory/fixes/node-role-policy";
import { asList, readPolicy } from "@/lib/inventory/fixes/policy-json";
import { matchWildcard } from "@/lib/trust";
import type { NodeRolePolicies } from "@/lib/aws/requests-gateway";
import type { Precheck } from "./types";

interface Grant {
  policyName: string;
  document: string;
  resources: string[];
}

/** Inline Allow statements granting eks-auth:AssumeRoleForPodIdentity, with their resources. */
export function podIdentityGrants(nodeRole: NodeRolePolicies): Grant[] {
  const grants: Grant[] = [];
  for (const [policyName, document] of Object.entries(nodeRole.inlinePolicies)) {
    let statements;
    try {
      statements = readPolicy(document).Statement;
    } catch {
      continue;
    }
    for (const st of statements) {
      if (st.Effect !== "Allow" || "NotAction" in st) continue;
      if (!asList(st.Action).some((a) => matchWildcard(String(a), POD_IDENTITY_NODE_ACTION, { ignoreCase: true }))) continue;
      grants.push({ policyName, document, resources: "NotResource" in st ? ["*"] : asList(st.Resource).map(String) });
    }
  }
  return grants;
}

const covers = (grant: Grant, roleArn: string) => grant.resources.some((r) => matchWildcard(r, roleArn));

export const nodeRolePrecheck: Precheck = {
  id: "node-role-allows-role",
  run({ item, facts }) {
    if (item.kind === "delete" || !item.roleArn || !facts.cluster) return null;
    if (facts.nodeRoles === undefined) return { status: "warn", message: `Could not read the node roles of ${item.cluster}.` };
    if (!facts.nodeRoles.length) return null; // no managed node groups: nothing to check
    const missing = facts.nodeRoles.flatMap((n) => {
      const grants = podIdentityGrants(n);
      // No inline grant: the permission comes from a managed policy (AmazonEKSWorkerNodePolicy allows "*").
      return grants.length && !grants.some((g) => covers(g, item.roleArn!)) ? [{ node: n, grants }] : [];
    });
    if (!missing.length) return { status: "pass", message: `The node role(s) of ${item.cluster} may assume ${item.roleArn} for Pod Identity.` };
    const { node, grants } = missing[0]!;
    const listed = grants.flatMap((g) => g.resources);
    const correction = correctNodeRolePolicy(grants[0]!.document, [...listed, item.roleArn]);
    return {
      status: "fail",
      message: `Node role ${node.nodeRoleArn} (node groups ${node.nodegroups.join(", ")}) restricts ${POD_IDENTITY_NODE_ACTION} to ${listed.length} role(s) and not ${item.roleArn}: pods would get no credentials.${missing.length > 1 ? ` ${missing.length - 1} more node role(s) need the same change.` : ""} The IAM team can apply the exhaustive policy below.`,
      fix: { kind: "node-role-policy", json: { nodeRoleArn: node.nodeRoleArn, policyName: grants[0]!.policyName, policy: correction.policy, diff: correction.diff } },
    };
  },
};
