// Pending requests past their expiry become expired (actor "system"), one CAS each.
import { auditRequest } from "./audit";
import { now, type RequestsDeps } from "./deps";
import { casTransition } from "./transition";

export async function expireRequests(deps: Pick<RequestsDeps, "prisma" | "now">): Promise<string[]> {
  const at = now(deps);
  const due = await deps.prisma.request.findMany({ where: { status: { in: ["pending", "changes_requested"] }, expiresAt: { lte: at } }, select: { id: true }, take: 100 });
  const expired: string[] = [];
  for (const { id } of due) {
    try {
      await deps.prisma.$transaction(async (tx) => {
        const request = await tx.request.findUniqueOrThrow({ where: { id }, include: { items: { take: 1 } } });
        if (request.status !== "pending" && request.status !== "changes_requested") return;
        await casTransition(tx, request, "expired", { finishedAt: at });
        await tx.requestItem.updateMany({ where: { requestId: id, status: "pending" }, data: { status: "expired" } });
        await auditRequest(tx, { actor: "system", event: "request.expired", requestId: id, item: request.items[0] ?? null, fromState: request.status, toState: "expired" });
        expired.push(id);
      });
    } catch {
      /* someone decided it meanwhile */
    }
  }
  return expired;
}
