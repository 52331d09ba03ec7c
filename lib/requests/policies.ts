// Which approval policy governs a request: the active policy with the highest
// priority whose cluster / namespace / role patterns match every item.
import { matchWildcard } from "@/lib/trust";
import type { ApprovalPolicy, PrismaClient } from "@/lib/db/generated/client";
import type { Role } from "@/lib/auth/permissions";

export interface PolicyChoice {
  policyVersionId: string | null;
  requiredApprovals: number;
  approverRole: Role;
}

/** When no policy row exists: one approval from the IAM team. */
export const BUILT_IN_POLICY: PolicyChoice = { policyVersionId: null, requiredApprovals: 1, approverRole: "approver" };

type Item = { cluster: string; namespace: string; roleArn?: string | null };

export function policyMatches(p: Pick<ApprovalPolicy, "clusterPattern" | "namespacePattern" | "rolePattern">, item: Item): boolean {
  return (
    matchWildcard(p.clusterPattern, item.cluster) &&
    matchWildcard(p.namespacePattern, item.namespace) &&
    matchWildcard(p.rolePattern, item.roleArn ?? "")
  );
}

export async function choosePolicy(prisma: Pick<PrismaClient, "approvalPolicy">, items: Item[]): Promise<PolicyChoice> {
  const active = await prisma.approvalPolicy.findMany({ where: { active: true }, orderBy: [{ priority: "desc" }, { version: "desc" }] });
  const p = active.find((policy) => items.every((i) => policyMatches(policy, i)));
  if (!p) return BUILT_IN_POLICY;
  return { policyVersionId: p.id, requiredApprovals: p.requiredApprovals, approverRole: p.approverRole };
}
