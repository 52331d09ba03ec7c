// Send a pending request back to its requester ("changes requested", with what to
// change): pending -> changes_requested by CAS, audited in the same transaction.
// The requester amends it (adds a suggested fix) and resubmits (resubmit-request.ts).
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { queueNotification } from "./notify";
import { loadForReview, withConflictRetry } from "./review-rules";
import { casTransition } from "./transition";

export async function requestChanges(deps: RequestsDeps, actor: Actor, input: { id: string; reason: string }) {
  return withConflictRetry(() =>
    deps.prisma.$transaction(async (tx) => {
      const request = await loadForReview(tx, deps.kinds, input.id, actor, now(deps));
      await casTransition(tx, request, "changes_requested");
      await auditRequest(tx, { actor: actor.login, event: "request.changes_requested", requestId: request.id, item: request.items[0] ?? null, fromState: "pending", toState: "changes_requested", details: { reason: input.reason } });
      await queueNotification(tx, "decided", request.id, `${actor.login} asked for changes to request ${request.id}: ${input.reason}`);
      return { id: request.id, status: "changes_requested" as const };
    }),
  );
}
