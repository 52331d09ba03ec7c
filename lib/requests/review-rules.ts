// Rules every review obeys: the request exists and is pending and not past its
// expiry; the reviewer is not the requester (not even an admin); the reviewer has
// a role one of the request's requirements names (or is an admin); one review per person.
import { DomainError } from "@/lib/core/errors";
import type { Actor, Tx } from "./deps";
import type { ItemKinds } from "./item-kinds";
import { storedRequirements } from "./policies";

type Reviewable = Parameters<typeof storedRequirements>[0] & {
  requesterId: string;
  status: string;
  expiresAt: Date;
  items: { kind: string }[];
};

/**
 * Why `actor` may not review `request` at `at`, or null when they may. The one
 * rule behind the approve / reject services, the "Needs your review" inbox and its
 * count, so what the navigation promises and what the server accepts cannot differ.
 */
export function reviewRefusal(kinds: ItemKinds, request: Reviewable, actor: Actor, at: Date, previous?: { decision: string } | null): DomainError | null {
  if (request.requesterId === actor.id) {
    return new DomainError("forbidden", "You cannot review your own request: separation of duties needs someone else to decide.");
  }
  const roles = storedRequirements(request).map((r) => r.role);
  if (!roles.includes(actor.role) && actor.role !== "admin") {
    return new DomainError("forbidden", `This request needs reviews from the ${roles.join(" and ")} role${roles.length > 1 ? "s" : ""}; yours is ${actor.role}.`);
  }
  const refusal = kinds.reviewRefusal(actor.role, request.items.map((i) => i.kind), roles);
  if (refusal) return new DomainError("forbidden", refusal);
  if (request.status !== "pending") return new DomainError("conflict", `The request is already ${request.status}.`);
  if (request.expiresAt <= at) return new DomainError("conflict", "The request has expired; file it again.");
  if (previous) return new DomainError("conflict", `You already reviewed this request (${previous.decision}).`);
  return null;
}

export async function loadForReview(tx: Tx, kinds: ItemKinds, id: string, actor: Actor, at: Date) {
  const request = await tx.request.findUnique({ where: { id }, include: { items: { orderBy: { position: "asc" } } } });
  if (!request) throw new DomainError("not_found", `There is no request ${id}.`);
  const previous = await tx.review.findUnique({ where: { requestId_reviewerId: { requestId: id, reviewerId: actor.id } } });
  const refusal = reviewRefusal(kinds, request, actor, at, previous);
  if (refusal) throw refusal;
  return request;
}

/** Maps database refusals (unique review, reviewer = requester trigger) to user-facing errors. */
export function reviewDbError(e: unknown): unknown {
  const err = e as { code?: string; message?: string; meta?: unknown };
  const text = `${err.message ?? ""} ${JSON.stringify(err.meta ?? "")}`;
  if (err.code === "P2002" || /Review_requestId_reviewerId_key|unique constraint/i.test(text)) {
    return new DomainError("conflict", "You already reviewed this request.");
  }
  if (/is a service account, not a person/.test(text)) {
    return new DomainError("forbidden", "Only people review requests: service accounts may file and read, never approve or reject.");
  }
  if (/is the requester of request/.test(text)) {
    return new DomainError("forbidden", "You cannot review your own request: separation of duties needs someone else to decide.");
  }
  return e;
}

/** Runs a review transaction, retrying a few times when another transition won the CAS race. */
export async function withConflictRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const mapped = reviewDbError(e);
      const retryable = mapped instanceof DomainError && mapped.code === "conflict" && /at the same moment/.test(mapped.message);
      if (!retryable || i >= attempts) throw mapped;
    }
  }
}
