// Node-role permission for EKS Pod Identity restricted to the exhaustive list
// of mapped roles (sorted, deduplicated), and a corrected version of an
// existing policy with a diff.
import { textDiff } from "./diff";
import { asList, formatPolicy, oneOrMany, readPolicy, type RawPolicy } from "./policy-json";

export const POD_IDENTITY_NODE_ACTION = "eks-auth:AssumeRoleForPodIdentity";

export const exhaustiveResources = (roleArns: Iterable<string>) => [...new Set(roleArns)].sort();

export function nodeRolePodIdentityPolicy(roleArns: Iterable<string>, sid = "WorkerNodePermissions"): RawPolicy {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: sid, Effect: "Allow", Action: POD_IDENTITY_NODE_ACTION, Resource: oneOrMany(exhaustiveResources(roleArns)) }],
  };
}

const grantsPodIdentity = (st: Record<string, unknown>) =>
  st.Effect === "Allow" && !("NotAction" in st) && asList(st.Action).some((a) => String(a).toLowerCase() === POD_IDENTITY_NODE_ACTION.toLowerCase());

export interface NodePolicyCorrection {
  policy: RawPolicy;
  json: string;
  diff: string;
}

/**
 * Rewrites the Resource of the statement granting eks-auth:AssumeRoleForPodIdentity
 * to the exhaustive list (a statement with other actions keeps them in a
 * statement of its own); appends the statement when none exists.
 */
export function correctNodeRolePolicy(existing: string | undefined, roleArns: Iterable<string>): NodePolicyCorrection {
  const resources = exhaustiveResources(roleArns);
  const before = existing ? readPolicy(existing) : { Version: "2012-10-17", Statement: [] };
  const doc = structuredClone(before) as RawPolicy;
  const idx = doc.Statement.findIndex(grantsPodIdentity);
  if (idx < 0) doc.Statement.push(nodeRolePodIdentityPolicy(resources).Statement[0]!);
  else {
    const st = doc.Statement[idx]!;
    const others = asList(st.Action).filter((a) => String(a).toLowerCase() !== POD_IDENTITY_NODE_ACTION.toLowerCase());
    if (others.length) {
      st.Action = oneOrMany(others.map(String));
      doc.Statement.splice(idx + 1, 0, nodeRolePodIdentityPolicy(resources, `${String(st.Sid ?? "")}PodIdentity` || "PodIdentity").Statement[0]!);
    } else st.Resource = oneOrMany(resources);
  }
  const beforeText = existing ? formatPolicy(before) : "";
  const json = formatPolicy(doc);
  return { policy: doc, json, diff: textDiff(beforeText, json, ["current", "exhaustive"]) };
}
