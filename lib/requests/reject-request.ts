// Reject (with a reason): one review (signed, as approvals are: ./approval-signatures.ts), pending -> rejected, in one CAS transaction.
import { createSignedReview } from "./approval-signatures";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { queueNotification } from "./notify";
import { loadForReview, withConflictRetry } from "./review-rules";
import { casTransition } from "./transition";

export async function rejectRequest(deps: RequestsDeps, actor: Actor, input: { id: string; reason: string }) {
  return withConflictRetry(() =>
    deps.prisma.$transaction(async (tx) => {
      const at = now(deps);
      const request = await loadForReview(tx, deps.kinds, input.id, actor, at);
      await createSignedReview(tx, { requestId: request.id, reviewerId: actor.id, reviewerRole: null, decision: "reject", comment: input.reason, overrideReason: null, createdAt: at });
      await casTransition(tx, request, "rejected", { decidedAt: at, finishedAt: at });
      // Nothing will be applied: the items say so, not "pending".
      await tx.requestItem.updateMany({ where: { requestId: request.id, status: "pending" }, data: { status: "rejected" } });
      await auditRequest(tx, { actor: actor.login, event: "request.rejected", requestId: request.id, item: request.items[0] ?? null, fromState: "pending", toState: "rejected", details: { reason: input.reason } });
      await queueNotification(tx, "decided", request.id, `${actor.login} rejected request ${request.id}: ${input.reason}`);
      return { id: request.id, status: "rejected" as const };
    }),
  );
}
