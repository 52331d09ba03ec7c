// Approve: the blocking prechecks run again first; while one fails the approval is
// refused (409) unless the approver overrides it with a reason, which is stored on
// the review and audited (request.approved_with_override). Then, in one CAS
// transaction: record the review, signed over the request as approved
// (./approval-signatures.ts: apply counts only signed approvals), and, once every
// per-role requirement is met, move pending -> approved and queue the apply job.
import { DomainError } from "@/lib/core/errors";
import type { Role } from "@/lib/auth/permissions";
import { enqueueJob } from "@/lib/jobs/queue";
import { approvalBlockers, overriddenFailures } from "./approval-blockers";
import { createSignedReview } from "./approval-signatures";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { queueNotification } from "./notify";
import { requirementsMet, storedRequirements, totalApprovals } from "./policies";
import { refreshPrechecks } from "./refresh-prechecks";
import { loadForReview, withConflictRetry } from "./review-rules";
import { casTransition } from "./transition";

export interface ApproveInput {
  id: string;
  comment?: string;
  /** Approve although a blocking precheck fails: the reason is stored and audited. */
  override?: { reason: string };
}

export async function approveRequest(deps: RequestsDeps, actor: Actor, input: ApproveInput) {
  // Who may review is checked before any AWS read; the transaction checks it again.
  await loadForReview(deps.prisma, deps.kinds, input.id, actor, now(deps));
  const { prechecks } = await refreshPrechecks(deps, input.id);
  return withConflictRetry(() =>
    deps.prisma.$transaction(async (tx) => {
      const at = now(deps);
      const request = await loadForReview(tx, deps.kinds, input.id, actor, at);
      // A kind may refuse this approver outright (e.g. a template broader than their approval policy): no override.
      const refusal = await deps.kinds.approvalRefusal(tx, actor, request.items);
      if (refusal) throw new DomainError("conflict", refusal);
      const blockers = approvalBlockers(request.items, prechecks);
      if (blockers.length && !input.override) {
        throw new DomainError(
          "conflict",
          `A blocking precheck fails: ${blockers.join(" ")} Fix it and approve again, or approve with an override and a reason.`,
        );
      }
      // Any failure the request does not fix (blocking or not) makes the approval an override: the page offers
      // plain Approve only when everything passes, so a given reason is kept whenever something fails.
      const failing = overriddenFailures(request.items, prechecks);
      const overrideReason = failing.length && input.override ? input.override.reason : null;
      await createSignedReview(tx, { requestId: request.id, reviewerId: actor.id, reviewerRole: actor.role, decision: "approve", comment: input.comment ?? null, overrideReason, createdAt: at });
      const item = request.items[0] ?? null;
      if (overrideReason) {
        await auditRequest(tx, { actor: actor.login, event: "request.approved_with_override", requestId: request.id, item, details: { reason: overrideReason, failing } });
      }
      const reviews = await tx.review.findMany({ where: { requestId: request.id, decision: "approve" }, include: { reviewer: { select: { role: true } } } });
      const roles = reviews.map((r) => (r.reviewerRole ?? r.reviewer.role) as Role);
      const requirements = storedRequirements(request);
      const { met, missing } = requirementsMet(requirements, roles, !request.items.some((i) => deps.kinds.approvalOf(i.kind) === "iam-team"));
      const approvals = reviews.length;
      const requiredApprovals = totalApprovals(requirements);
      if (!met) {
        // Still pending, but the version moves: a concurrent cancel or reject loses the race cleanly.
        await casTransition(tx, request, "pending");
        await auditRequest(tx, { actor: actor.login, event: "request.approval_recorded", requestId: request.id, item, details: { approvals, required: requiredApprovals, missing, comment: input.comment ?? null } });
        return { id: request.id, status: "pending" as const, approvals, requiredApprovals, missing };
      }
      const version = await casTransition(tx, request, "approved", { decidedAt: at });
      await auditRequest(tx, { actor: actor.login, event: "request.approved", requestId: request.id, item, fromState: "pending", toState: "approved", details: { approvals, comment: input.comment ?? null, ...(overrideReason ? { override: overrideReason } : {}) } });
      await enqueueJob(tx, { queue: "apply-request", key: `apply:${request.id}:${version}`, payload: { requestId: request.id }, maxAttempts: 10 });
      await queueNotification(tx, "decided", request.id, `${actor.login} approved request ${request.id}${overrideReason ? " (overriding a failing precheck)" : ""}`);
      return { id: request.id, status: "approved" as const, approvals, requiredApprovals, missing };
    }),
  );
}
