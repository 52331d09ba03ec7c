// The Request row every way of filing writes: pinned policy with its per-role
// requirements, stored prechecks, and the pending TTL. Items, audit and
// notification stay with each caller.
import type { Prisma, RequestKind } from "@/lib/db/generated/client";
import { requirementsOf, totalApprovals, type PolicyChoice } from "./policies";
import { requestTtlMs } from "./ttl";

export function pendingRequestRow(
  deps: { pendingTtlMs?: number },
  r: { id: string; kind: RequestKind; requesterId: string; justification: string; policy: PolicyChoice; at: Date; prechecks?: unknown[] },
) {
  // A caller that raised approverRole / requiredApprovals (IAM changes) adds to the requirements, never replaces them.
  const requirements = requirementsOf(r.policy);
  return {
    id: r.id,
    kind: r.kind,
    requesterId: r.requesterId,
    justification: r.justification,
    policyVersionId: r.policy.policyVersionId,
    requiredApprovals: totalApprovals(requirements),
    approverRole: r.policy.approverRole,
    approvalRequirements: requirements as unknown as Prisma.InputJsonValue,
    prechecks: (r.prechecks ?? []) as Prisma.InputJsonValue,
    prechecksAt: r.at,
    expiresAt: new Date(r.at.getTime() + (deps.pendingTtlMs ?? requestTtlMs())),
    createdAt: r.at,
  };
}
