// Approve: the blocking prechecks run again first; while one fails the approval is
// refused (409) unless the approver overrides it with a reason, which is stored on
// the review and audited (request.approved_with_override); a refusal stores the
// fresh results with a request.prechecks_refreshed row. Then, in one CAS
// transaction: store the results the decision was made on, record the review,
// signed over the request as approved (./approval-signatures.ts: apply counts
// only signed approvals), and, once every
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
import type { PrecheckResult } from "./prechecks";
import { freshPrechecks, storePrechecks } from "./refresh-prechecks";
import { loadForReview, withConflictRetry } from "./review-rules";
import { casTransition } from "./transition";

export interface ApproveInput {
  id: string;
  comment?: string;
  /** Approve although a blocking precheck fails: the reason is stored and audited. */
  override?: { reason: string };
}

/** A blocking precheck fails and no override was given: the transaction rolls back, then the results are stored apart. */
class BlockedApproval extends Error {}

export async function approveRequest(deps: RequestsDeps, actor: Actor, input: ApproveInput) {
  // Who may review is checked before any AWS read; the transaction checks it again.
  const reviewed = await loadForReview(deps.prisma, deps.kinds, input.id, actor, now(deps));
  const { prechecks, prechecksAt, kept } = await freshPrechecks(deps, input.id);
  try {
    return await approveWith(deps, actor, input, prechecks, kept ? null : prechecksAt);
  } catch (e) {
    if (!(e instanceof BlockedApproval)) throw e;
    if (kept) throw new DomainError("conflict", e.message);
    // A refused approval still leaves the fresh failures on the request, with their own audit row.
    await deps.prisma.$transaction(async (tx) => {
      await storePrechecks(tx, input.id, prechecks, prechecksAt);
      const failed = prechecks.filter((p) => p.status === "fail").length;
      await auditRequest(tx, { actor: actor.login, event: "request.prechecks_refreshed", requestId: input.id, item: reviewed.items[0] ?? null, details: { prechecksAt: prechecksAt.toISOString(), failed, during: "approve", refused: true } });
    });
    throw new DomainError("conflict", e.message);
  }
}

/** `storeAt`: when the prechecks were run (null: the ones stored at filing, kept as they are). */
function approveWith(deps: RequestsDeps, actor: Actor, input: ApproveInput, prechecks: PrecheckResult[], storeAt: Date | null) {
  return withConflictRetry(() =>
    deps.prisma.$transaction(async (tx) => {
      const at = now(deps);
      const request = await loadForReview(tx, deps.kinds, input.id, actor, at);
      // A kind may refuse this approver outright (e.g. a template broader than their approval policy): no override.
      const refusal = await deps.kinds.approvalRefusal(tx, actor, request.items);
      if (refusal) throw new DomainError("conflict", refusal);
      const blockers = approvalBlockers(request.items, prechecks);
      if (blockers.length && !input.override) {
        throw new BlockedApproval(`A blocking precheck fails: ${blockers.join(" ")} Fix it and approve again, or approve with an override and a reason.`);
      }
      // The results the decision was made on are stored with it: the audit rows below are in this transaction.
      if (storeAt) await storePrechecks(tx, request.id, prechecks, storeAt);
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
