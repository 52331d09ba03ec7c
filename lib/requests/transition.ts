// Compare-and-swap on (id, status, version): the only way a request changes state.
import { DomainError } from "@/lib/core/errors";
import type { Prisma, RequestStatus } from "@/lib/db/generated/client";
import { canTransition } from "./states";
import type { Tx } from "./deps";

export async function casTransition(
  tx: Tx,
  request: { id: string; status: RequestStatus; version: number },
  to: RequestStatus,
  data: Omit<Prisma.RequestUpdateManyMutationInput, "status" | "version"> = {},
): Promise<number> {
  if (!canTransition(request.status, to)) {
    throw new DomainError("conflict", `The request is ${request.status}: it cannot become ${to}.`);
  }
  const { count } = await tx.request.updateMany({
    where: { id: request.id, status: request.status, version: request.version },
    data: { ...data, status: to, version: { increment: 1 } },
  });
  if (count !== 1) {
    throw new DomainError("conflict", "Someone else changed this request at the same moment. Reload it and try again.");
  }
  return request.version + 1;
}
