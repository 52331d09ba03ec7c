// Cancel: the requester (or an admin) withdraws a pending request.
import { DomainError } from "@/lib/core/errors";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { casTransition } from "./transition";

export async function cancelRequest(deps: RequestsDeps, actor: Actor, input: { id: string }) {
  return deps.prisma.$transaction(async (tx) => {
    const request = await tx.request.findUnique({ where: { id: input.id }, include: { items: { take: 1, orderBy: { position: "asc" } } } });
    if (!request) throw new DomainError("not_found", `There is no request ${input.id}.`);
    if (request.requesterId !== actor.id && actor.role !== "admin") {
      throw new DomainError("forbidden", "Only the requester (or an admin) can cancel a request.");
    }
    if (request.status !== "pending" && request.status !== "changes_requested") throw new DomainError("conflict", `The request is ${request.status}: only pending requests (or ones sent back for changes) can be cancelled.`);
    const at = now(deps);
    await casTransition(tx, request, "cancelled", { finishedAt: at });
    await tx.requestItem.updateMany({ where: { requestId: request.id, status: "pending" }, data: { status: "cancelled" } });
    await auditRequest(tx, { actor: actor.login, event: "request.cancelled", requestId: request.id, item: request.items[0] ?? null, fromState: request.status, toState: "cancelled" });
    return { id: request.id, status: "cancelled" as const };
  });
}
