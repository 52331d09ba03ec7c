// Which approval policy governs a request: among the active policies whose
// cluster / namespace / role patterns match every item, the highest priority,
// then the most specific (policySpecificity), then the newest.
import { hasWildcard, matchWildcard } from "@/lib/trust";
import type { ApprovalPolicy, PrismaClient } from "@/lib/db/generated/client";
import type { Role } from "@/lib/auth/permissions";

export interface PolicyChoice {
  policyVersionId: string | null;
  requiredApprovals: number;
  approverRole: Role;
}

/** When no policy row exists: one approval from the IAM team. */
export const BUILT_IN_POLICY: PolicyChoice = { policyVersionId: null, requiredApprovals: 1, approverRole: "approver" };

type Patterns = Pick<ApprovalPolicy, "clusterPattern" | "namespacePattern" | "rolePattern">;

type Item = { cluster: string; namespace: string; roleArn?: string | null };

export function policyMatches(p: Patterns, item: Item): boolean {
  return (
    matchWildcard(p.clusterPattern, item.cluster) &&
    matchWildcard(p.namespacePattern, item.namespace) &&
    matchWildcard(p.rolePattern, item.roleArn ?? "")
  );
}

/**
 * How narrowly a policy's patterns pin a request, compared element by element:
 * [exact patterns (no * or ?), literal characters, -wildcards]. So
 * cluster "prod-eu" beats "prod-*", which beats "*"; a policy with an exact
 * cluster and namespace beats one with only an exact cluster.
 */
export function policySpecificity(p: Patterns): [number, number, number] {
  const patterns = [p.clusterPattern, p.namespacePattern, p.rolePattern];
  const exact = patterns.filter((x) => !hasWildcard(x)).length;
  const literal = patterns.reduce((n, x) => n + x.replace(/[*?]/g, "").length, 0);
  const wildcards = patterns.reduce((n, x) => n + (x.match(/[*?]/g)?.length ?? 0), 0);
  return [exact, literal, -wildcards];
}

function compareCandidates(a: ApprovalPolicy, b: ApprovalPolicy): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const sa = policySpecificity(a);
  const sb = policySpecificity(b);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sb[i]! - sa[i]!;
  return b.createdAt.getTime() - a.createdAt.getTime() || b.version - a.version;
}

export async function choosePolicy(prisma: Pick<PrismaClient, "approvalPolicy">, items: Item[]): Promise<PolicyChoice> {
  const active = await prisma.approvalPolicy.findMany({ where: { active: true } });
  const p = active.filter((policy) => items.every((i) => policyMatches(policy, i))).sort(compareCandidates)[0];
  if (!p) return BUILT_IN_POLICY;
  return { policyVersionId: p.id, requiredApprovals: p.requiredApprovals, approverRole: p.approverRole };
}
