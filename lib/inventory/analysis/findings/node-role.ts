// Node roles that restrict eks-auth:AssumeRoleForPodIdentity to a Resource list
// missing a role mapped by an association on a cluster using that node role.
import { actionCovered, arnMatches, decodePolicyText, safeParseTrustPolicy, type PolicyStatement } from "@/lib/trust";
import { correctNodeRolePolicy, POD_IDENTITY_NODE_ACTION } from "../../fixes/node-role-policy";
import type { SnapshotAssociation, SnapshotCluster, SnapshotRole } from "../../snapshot-types";
import { findingId, roleName, type AnalysisContext, type Finding } from "./types";

/** AWS managed policies known to grant eks-auth:AssumeRoleForPodIdentity on "*". */
const UNRESTRICTED_MANAGED = new Set(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy"]);

const resourceHit = (st: PolicyStatement, arn: string) => st.resources.some((r) => r === "*" || arnMatches(r, arn));

interface NodeRoleGrant {
  statements: PolicyStatement[];
  /** Inline policy holding the eks-auth statement, for the corrected document. */
  policyName?: string;
  unrestricted: boolean;
  /** Customer-managed attachments whose documents the snapshot does not carry. */
  unreadAttachments: string[];
}

/**
 * Identity policies share the statement grammar of trust policies minus the
 * Principal; give each statement Principal "*" so lib/trust's parser reads it
 * (Resource is kept). NotResource is not modelled: such statements match nothing.
 */
function parseIdentityPolicy(text: string) {
  try {
    const doc = JSON.parse(decodePolicyText(text)) as { Statement?: unknown };
    const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    const statements = (list as Record<string, unknown>[]).map(({ NotPrincipal: _n, ...st }) => ({ ...st, Principal: "*" }));
    return safeParseTrustPolicy({ ...doc, Statement: statements });
  } catch (e) {
    return { ok: false as const, error: (e as Error).message };
  }
}

/** What a node role grants for eks-auth:AssumeRoleForPodIdentity (also read by the filing form's role picker). */
export function readGrant(role: SnapshotRole): NodeRoleGrant {
  const statements: PolicyStatement[] = [];
  let policyName: string | undefined;
  for (const [name, text] of Object.entries(role.inlinePolicies)) {
    const parsed = parseIdentityPolicy(text);
    if (!parsed.ok) continue;
    const relevant = parsed.policy.statements.filter((st) => actionCovered(st, POD_IDENTITY_NODE_ACTION));
    if (relevant.some((st) => st.effect === "Allow") && policyName === undefined) policyName = name;
    statements.push(...relevant);
  }
  const unrestricted =
    role.attachedPolicyArns.some((a) => UNRESTRICTED_MANAGED.has(a)) ||
    statements.some((st) => st.effect === "Allow" && st.resources.includes("*") && st.conditions.length === 0);
  const unreadAttachments = role.attachedPolicyArns.filter((a) => !a.startsWith("arn:aws:iam::aws:policy/"));
  return { statements, ...(policyName ? { policyName } : {}), unrestricted, unreadAttachments };
}

/** Does the node role let the agent fetch credentials for this role? */
export const allows = (g: NodeRoleGrant, arn: string) =>
  g.unrestricted ||
  (g.statements.some((st) => st.effect === "Allow" && resourceHit(st, arn)) && !g.statements.some((st) => st.effect === "Deny" && resourceHit(st, arn)));

type NodeRoleUsers = { cluster: SnapshotCluster; a: SnapshotAssociation }[];

/** Node role -> the associations of every cluster whose nodegroups use it (clusters in snapshot order). */
function nodeRoleUsers(clusters: SnapshotCluster[], only?: string): Map<string, NodeRoleUsers> {
  const users = new Map<string, NodeRoleUsers>();
  for (const c of clusters) {
    const nodeRoles = new Set(c.nodegroups.map((n) => n.nodeRoleArn));
    for (const nr of nodeRoles) if (only === undefined || nr === only) users.set(nr, [...(users.get(nr) ?? []), ...c.associations.map((a) => ({ cluster: c, a }))]);
  }
  return users;
}

export function nodeRoleFindings(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const [nodeRoleArn, list] of nodeRoleUsers(ctx.snapshot.clusters)) out.push(...nodeRoleFindingsOf(ctx, nodeRoleArn, list));
  return out;
}

/** The findings of one node role (the incremental analysis re-runs it when its clusters' associations or the mapped roles change). */
export function nodeRoleFindingsFor(ctx: Pick<AnalysisContext, "roles" | "snapshot">, nodeRoleArn: string): Finding[] {
  return nodeRoleFindingsOf(ctx, nodeRoleArn, nodeRoleUsers(ctx.snapshot.clusters, nodeRoleArn).get(nodeRoleArn) ?? []);
}

function nodeRoleFindingsOf(ctx: Pick<AnalysisContext, "roles">, nodeRoleArn: string, list: NodeRoleUsers): Finding[] {
  const out: Finding[] = [];
  const role = ctx.roles.get(nodeRoleArn)?.role;
  if (!role || list.length === 0) return out;
  const grant = readGrant(role);
  const mapped = list.filter(({ a }) => ctx.roles.has(a.roleArn));
  const missing = [...new Set(mapped.map(({ a }) => a.roleArn))].filter((arn) => !allows(grant, arn));
  if (missing.length === 0) return out;
  const fix = correctNodeRolePolicy(grant.policyName ? role.inlinePolicies[grant.policyName] : undefined, mapped.map(({ a }) => a.roleArn));
  const caveat = grant.unreadAttachments.length ? ` (customer-managed attachments not read: ${grant.unreadAttachments.join(", ")})` : "";
  for (const roleArn of missing) {
    const users = mapped.filter(({ a }) => a.roleArn === roleArn);
    const { cluster, a } = users[0]!;
    out.push({
      id: findingId("node-role-missing-mapped-role", nodeRoleArn, roleArn),
      kind: "node-role-missing-mapped-role",
      severity: grant.unreadAttachments.length ? "medium" : "high",
      title: `Node role ${roleName(nodeRoleArn)} does not allow ${POD_IDENTITY_NODE_ACTION} on ${roleName(roleArn)}`,
      detail: `Mapped by ${users.map((u) => `${u.cluster.name}/${u.a.namespace}/${u.a.serviceAccount}`).join(", ")}; the node role's Resource list omits it, so the agent cannot fetch credentials${caveat}.`,
      accountId: role.accountId,
      cluster: cluster.name,
      clusterArn: cluster.arn,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn,
      associationId: a.associationId,
      nodeRoleArn,
      fix: {
        kind: "node-role-policy",
        description: `Replace inline policy "${grant.policyName ?? "pod-identity"}" of ${roleName(nodeRoleArn)} with the exhaustive list of ${new Set(mapped.map((m) => m.a.roleArn)).size} mapped roles.`,
        json: fix.json,
        diff: fix.diff,
      },
    });
  }
  return out;
}
