// The requester resubmits a request sent back with "changes requested":
// changes_requested -> pending by CAS, with prechecks run again and a fresh
// pending time. Approvals recorded before the change are dismissed: they were
// given to what the request said then (the audit rows keep them).
import { DomainError } from "@/lib/core/errors";
import type { Prisma } from "@/lib/db/generated/client";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { queueNotification } from "./notify";
import { checkStoredItems } from "./refresh-prechecks";
import { withConflictRetry } from "./review-rules";
import { casTransition } from "./transition";
import { requestTtlMs } from "./ttl";

export async function resubmitRequest(deps: RequestsDeps, actor: Actor, input: { id: string; justification?: string }) {
  const load = async (tx: Pick<RequestsDeps["prisma"], "request">) => {
    const request = await tx.request.findUnique({ where: { id: input.id }, include: { items: { orderBy: { position: "asc" } } } });
    if (!request) throw new DomainError("not_found", `There is no request ${input.id}.`);
    if (request.requesterId !== actor.id) throw new DomainError("forbidden", "Only the requester can resubmit a request.");
    if (request.status !== "changes_requested") throw new DomainError("conflict", `The request is ${request.status}: only a request sent back with changes requested can be resubmitted.`);
    return request;
  };
  const before = await load(deps.prisma);
  const prechecks = await checkStoredItems(deps.aws, deps.kinds, deps.targets, before.items, deps.kube);
  return withConflictRetry(() =>
    deps.prisma.$transaction(async (tx) => {
      const request = await load(tx);
      const at = now(deps);
      const dismissed = await tx.review.deleteMany({ where: { requestId: request.id } });
      await casTransition(tx, request, "pending", {
        expiresAt: new Date(at.getTime() + (deps.pendingTtlMs ?? requestTtlMs())),
        prechecks: prechecks as unknown as Prisma.InputJsonValue,
        prechecksAt: at,
        ...(input.justification ? { justification: input.justification } : {}),
      });
      await auditRequest(tx, {
        actor: actor.login, event: "request.resubmitted", requestId: request.id, item: request.items[0] ?? null, fromState: "changes_requested", toState: "pending",
        details: { dismissedReviews: dismissed.count, ...(input.justification ? { justification: input.justification } : {}), failedPrechecks: prechecks.filter((p) => p.status === "fail").map((p) => p.id) },
      });
      await queueNotification(tx, "created", request.id, `${actor.login} resubmitted request ${request.id}`);
      return { id: request.id, status: "pending" as const };
    }),
  );
}
