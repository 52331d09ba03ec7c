// Retry a failed apply: failed -> applying, and queue the apply job again. Items
// that were applied stay applied; the others are sent with the same idempotency token.
// An approval older than ROLEGATE_APPROVAL_VALID_HOURS no longer covers a retry: 409,
// file the request again (./approval-validity.ts).
import { DomainError } from "@/lib/core/errors";
import { enqueueJob } from "@/lib/jobs/queue";
import { auditRequest } from "./audit";
import type { Actor, RequestsDeps } from "./deps";
import { casTransition } from "./transition";
import { approvalValidMs } from "./approval-validity";
import { now } from "./deps";

export async function retryRequest(deps: RequestsDeps, actor: Actor, input: { id: string }) {
  return deps.prisma.$transaction(async (tx) => {
    const request = await tx.request.findUnique({ where: { id: input.id }, include: { items: { take: 1, orderBy: { position: "asc" } } } });
    if (!request) throw new DomainError("not_found", `There is no request ${input.id}.`);
    if (actor.role === "requester" && request.requesterId !== actor.id) {
      throw new DomainError("forbidden", "Only the requester, an approver or an admin can retry this request.");
    }
    if (request.status !== "failed") throw new DomainError("conflict", `The request is ${request.status}: only failed requests can be retried.`);
    const validMs = deps.approvalValidMs ?? approvalValidMs();
    const decided = request.decidedAt ?? request.createdAt;
    if (now(deps).getTime() - decided.getTime() > validMs) {
      throw new DomainError(
        "conflict",
        `The approval of this request is from ${decided.toISOString()}, older than ${validMs / 3600_000} hours (ROLEGATE_APPROVAL_VALID_HOURS): it no longer covers a retry. File the request again for a fresh review.`,
      );
    }
    const version = await casTransition(tx, request, "applying", { finishedAt: null });
    await auditRequest(tx, { actor: actor.login, event: "request.retried", requestId: request.id, item: request.items[0] ?? null, fromState: "failed", toState: "applying" });
    await enqueueJob(tx, { queue: "apply-request", key: `apply:${request.id}:${version}`, payload: { requestId: request.id }, maxAttempts: 10 });
    return { id: request.id, status: "applying" as const };
  });
}
