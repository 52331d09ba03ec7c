// IAM changes carried by a request as extra items, applied before the
// association items: "iam-trust-update" (UpdateAssumeRolePolicy of the role to
// map with the generated trust policy) and "iam-node-role-policy" (PutRolePolicy
// of a node role with the exhaustive eks-auth:AssumeRoleForPodIdentity policy).
// Only the IAM team (approver role) may approve a request that carries them
// (their "iam-team" approval in the item-kind registry, apply-item.ts requestItemKinds).
import type { NodeRolePolicies } from "@/lib/aws/requests-gateway";
import { policyHash, trustHash } from "./trust-guard";

export const IAM_ITEM_KINDS = ["iam-trust-update", "iam-node-role-policy"] as const;
export type IamItemKind = (typeof IAM_ITEM_KINDS)[number];


/** An IAM item made from a failing precheck's fix, or null when the fix is not an IAM change. */
export function iamItemFromFix(fix: { kind: string; json: unknown } | undefined, context: { roleArn?: string | null }):
  | { kind: IamItemKind; roleArn: string; policyName: string | null; document: string }
  | null {
  if (!fix) return null;
  if (fix.kind === "trust-policy" && context.roleArn) {
    const doc = fix.json as { Statement?: unknown };
    if (!doc || !Array.isArray(doc.Statement)) return null; // a lone statement (cross-account hint) is not a full policy
    return { kind: "iam-trust-update", roleArn: context.roleArn, policyName: null, document: JSON.stringify(fix.json) };
  }
  if (fix.kind === "node-role-policy") {
    const j = fix.json as { nodeRoleArn?: string; policyName?: string; policy?: unknown };
    if (!j?.nodeRoleArn || !j.policyName || !j.policy) return null;
    return { kind: "iam-node-role-policy", roleArn: j.nodeRoleArn, policyName: j.policyName, document: JSON.stringify(j.policy) };
  }
  return null;
}

/**
 * The IAM item a failing check's fix describes, with the hash of the document it was computed from
 * (the role's trust, or the node role's inline policy of that name, as the prechecks read it):
 * apply refuses when that document changed since (trust-guard.ts). Null when the fix is no IAM change.
 */
export function iamItemWithBase(
  fix: { kind: string; json: unknown } | undefined,
  context: { roleArn?: string | null; trustPolicy: string | null; nodeRoles: NodeRolePolicies[] | undefined },
) {
  const iam = iamItemFromFix(fix, { roleArn: context.roleArn });
  if (!iam) return null;
  const base = iam.kind === "iam-trust-update" ? context.trustPolicy : null;
  const node = iam.kind === "iam-node-role-policy" ? context.nodeRoles?.find((n) => n.nodeRoleArn === iam.roleArn) : undefined;
  const baseHash = base ? trustHash(base) : node ? policyHash(node.inlinePolicies[iam.policyName!] ?? null) : null;
  return { ...iam, baseHash };
}
