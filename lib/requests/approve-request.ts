// Approve: record the review and, once the pinned policy's approvals are reached,
// move pending -> approved and queue the apply job, all in one CAS transaction.
import { enqueueJob } from "@/lib/jobs/queue";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { queueNotification } from "./notify";
import { loadForReview, withConflictRetry } from "./review-rules";
import { casTransition } from "./transition";

export async function approveRequest(deps: RequestsDeps, actor: Actor, input: { id: string; comment?: string }) {
  return withConflictRetry(() =>
    deps.prisma.$transaction(async (tx) => {
      const at = now(deps);
      const request = await loadForReview(tx, deps.kinds, input.id, actor, at);
      await tx.review.create({ data: { requestId: request.id, reviewerId: actor.id, decision: "approve", comment: input.comment ?? null } });
      const approvals = await tx.review.count({ where: { requestId: request.id, decision: "approve" } });
      const item = request.items[0] ?? null;
      if (approvals < request.requiredApprovals) {
        // Still pending, but the version moves: a concurrent cancel or reject loses the race cleanly.
        await casTransition(tx, request, "pending");
        await auditRequest(tx, { actor: actor.login, event: "request.approval_recorded", requestId: request.id, item, details: { approvals, required: request.requiredApprovals, comment: input.comment ?? null } });
        return { id: request.id, status: "pending" as const, approvals, requiredApprovals: request.requiredApprovals };
      }
      const version = await casTransition(tx, request, "approved", { decidedAt: at });
      await auditRequest(tx, { actor: actor.login, event: "request.approved", requestId: request.id, item, fromState: "pending", toState: "approved", details: { approvals, comment: input.comment ?? null } });
      await enqueueJob(tx, { queue: "apply-request", key: `apply:${request.id}:${version}`, payload: { requestId: request.id }, maxAttempts: 10 });
      await queueNotification(tx, "decided", request.id, `${actor.login} approved request ${request.id}`);
      return { id: request.id, status: "approved" as const, approvals, requiredApprovals: request.requiredApprovals };
    }),
  );
}
