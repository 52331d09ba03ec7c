// Which approvals a request needs. Each item is matched on its own: for the item's
// role and, separately, its target role, the governing policy is the active one whose
// account / region / cluster / namespace / role patterns match (the account and region
// are where the item lives: its located cluster or, for an IAM item, the role's
// target), with the highest priority, then the most
// specific (policySpecificity), then the newest; none matching means the built-in one.
// The request needs the union: for every approver role, the largest count any item
// needs. So adding an item can only raise what a request needs, never lower it
// (before, a policy counted only when it matched every item, so one harmless item in
// another namespace fell back to the default).
import { hasWildcard, matchWildcard } from "@/lib/trust";
import type { ApprovalPolicy, PrismaClient } from "@/lib/db/generated/client";
import type { Role } from "@/lib/auth/permissions";

/** Approvals from `count` distinct people with `role` (admins may stand in), and the policy versions that asked for them (null: built-in). */
export interface Requirement {
  role: Role;
  count: number;
  policyVersionIds: (string | null)[];
}

export interface PolicyChoice {
  /** The policy version of the largest requirement (kept for the Request.policyVersion relation). */
  policyVersionId: string | null;
  /** The largest single count (callers may raise it; fileRequest folds it into the requirements). */
  requiredApprovals: number;
  approverRole: Role;
  /** Per-role requirements; absent on choices built by hand (then approverRole x requiredApprovals). */
  requirements?: Requirement[];
}

/** When no policy row matches: one approval from the IAM team. */
export const BUILT_IN_POLICY: PolicyChoice = { policyVersionId: null, requiredApprovals: 1, approverRole: "approver", requirements: [{ role: "approver", count: 1, policyVersionIds: [null] }] };

type Patterns = Pick<ApprovalPolicy, "accountPattern" | "regionPattern" | "clusterPattern" | "namespacePattern" | "rolePattern">;

/**
 * What a policy is matched against. The account and region are required: an item
 * matched without them would escape every policy that names an account or region.
 */
export type PolicyItem = { accountId: string; region: string; cluster: string; namespace: string; roleArn?: string | null; targetRoleArn?: string | null };
type PolicySubject = Omit<PolicyItem, "targetRoleArn">;

export function policyMatches(p: Patterns, item: PolicySubject): boolean {
  return (
    matchWildcard(p.accountPattern, item.accountId) &&
    matchWildcard(p.regionPattern, item.region) &&
    matchWildcard(p.clusterPattern, item.cluster) &&
    matchWildcard(p.namespacePattern, item.namespace) &&
    matchWildcard(p.rolePattern, item.roleArn ?? "")
  );
}

/**
 * How narrowly a policy's patterns pin a request, compared element by element:
 * [exact patterns (no * or ?), literal characters, -wildcards]. So
 * cluster "prod-eu" beats "prod-*", which beats "*"; a policy with an exact
 * cluster and namespace beats one with only an exact cluster, and the account and
 * region patterns count like the others (an exact account plus an exact cluster
 * beats the exact cluster alone).
 */
export function policySpecificity(p: Patterns): [number, number, number] {
  const patterns = [p.accountPattern, p.regionPattern, p.clusterPattern, p.namespacePattern, p.rolePattern];
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

/** The subjects an item is matched as: its role, and its target role (a chained grant is a grant of that role too). */
function subjectsOf(item: PolicyItem) {
  const base = { accountId: item.accountId, region: item.region, cluster: item.cluster, namespace: item.namespace };
  return [{ ...base, roleArn: item.roleArn ?? "" }, ...(item.targetRoleArn ? [{ ...base, roleArn: item.targetRoleArn }] : [])];
}

/** The governing policy of one subject, or null for the built-in one. */
export function governingPolicy(active: ApprovalPolicy[], subject: PolicySubject): ApprovalPolicy | null {
  return active.filter((p) => policyMatches(p, subject)).sort(compareCandidates)[0] ?? null;
}

/** The union of requirements: per role, the largest count; policy versions of every contributor kept. */
export function unionRequirements(...lists: Requirement[][]): Requirement[] {
  const byRole = new Map<Role, Requirement>();
  for (const r of lists.flat()) {
    const have = byRole.get(r.role);
    if (!have) byRole.set(r.role, { role: r.role, count: r.count, policyVersionIds: [...r.policyVersionIds] });
    else {
      have.count = Math.max(have.count, r.count);
      for (const id of r.policyVersionIds) if (!have.policyVersionIds.includes(id)) have.policyVersionIds.push(id);
    }
  }
  return [...byRole.values()].filter((r) => r.count > 0).sort((a, b) => a.role.localeCompare(b.role));
}

/** A choice's requirements, with its approverRole x requiredApprovals folded in (callers that raise those never lower the rest). */
export function requirementsOf(choice: PolicyChoice): Requirement[] {
  return unionRequirements(choice.requirements ?? [], [{ role: choice.approverRole, count: choice.requiredApprovals, policyVersionIds: [choice.policyVersionId] }]);
}

export function choiceFrom(requirements: Requirement[], fallback: PolicyChoice = BUILT_IN_POLICY): PolicyChoice {
  const top = [...requirements].sort((a, b) => b.count - a.count)[0];
  if (!top) return fallback;
  return { policyVersionId: top.policyVersionIds.find((id) => id !== null) ?? null, requiredApprovals: top.count, approverRole: top.role, requirements };
}

export async function choosePolicy(prisma: Pick<PrismaClient, "approvalPolicy">, items: PolicyItem[]): Promise<PolicyChoice> {
  const active = await prisma.approvalPolicy.findMany({ where: { active: true } });
  const needs: Requirement[][] = [];
  for (const item of items) {
    for (const subject of subjectsOf(item)) {
      const p = governingPolicy(active, subject);
      needs.push(p ? [{ role: p.approverRole, count: p.requiredApprovals, policyVersionIds: [p.id] }] : BUILT_IN_POLICY.requirements!);
    }
  }
  return choiceFrom(unionRequirements(...needs));
}

/** Raises a choice so the IAM team (approver role) approves at least once: IAM changes are theirs. Never lowers anything. */
export function withIamTeam(choice: PolicyChoice): PolicyChoice {
  return choiceFrom(unionRequirements(requirementsOf(choice), [{ role: "approver", count: 1, policyVersionIds: [null] }]));
}

/** Stored requirements of a request; requests filed before per-role requirements: approverRole x requiredApprovals. */
export function storedRequirements(r: { approvalRequirements: unknown; approverRole: Role; requiredApprovals: number; policyVersionId: string | null }): Requirement[] {
  if (Array.isArray(r.approvalRequirements) && r.approvalRequirements.length) return r.approvalRequirements as Requirement[];
  return r.requiredApprovals > 0 ? [{ role: r.approverRole, count: r.requiredApprovals, policyVersionIds: [r.policyVersionId] }] : [];
}

/** Whether the approvals (by the approver's role) meet every requirement. Admins stand in for any role, each once (not for the IAM team on IAM changes: adminsStandIn false). */
export function requirementsMet(requirements: Requirement[], approverRoles: Role[], adminsStandIn = true): { met: boolean; missing: { role: Role; count: number }[] } {
  let admins = approverRoles.filter((r) => r === "admin").length;
  const missing: { role: Role; count: number }[] = [];
  // Admin requirements first (only admins meet them), then the other roles' shortfalls.
  for (const req of [...requirements].sort((a, b) => (a.role === "admin" ? -1 : b.role === "admin" ? 1 : 0))) {
    const own = req.role === "admin" ? 0 : approverRoles.filter((r) => r === req.role).length;
    let short = Math.max(0, req.count - own);
    const used = req.role === "admin" || adminsStandIn ? Math.min(admins, short) : 0;
    admins -= used;
    short -= used;
    if (short > 0) missing.push({ role: req.role, count: short });
  }
  return { met: missing.length === 0, missing };
}

/** The number of distinct people a set of requirements needs. */
export const totalApprovals = (requirements: Requirement[]) => requirements.reduce((n, r) => n + r.count, 0);
