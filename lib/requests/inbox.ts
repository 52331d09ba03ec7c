// "Needs your review": the pending requests a person may approve or reject now.
// The database narrows to pending, unexpired, not their own and not yet reviewed
// by them; reviewRefusal (the rule the approve / reject services enforce) decides
// the rest (the request's required roles, IAM changes only for the IAM team), so
// the count in the navigation and the Approve button cannot disagree.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Actor } from "./deps";
import type { ItemKinds } from "./item-kinds";
import { reviewRefusal } from "./review-rules";

export type Reviewer = Actor & { kind?: "person" | "service" };

/** Ids of the requests `actor` may review at `at`, newest first. Service accounts never review. */
export async function reviewInbox(prisma: PrismaClient, kinds: ItemKinds, actor: Reviewer, at: Date = new Date()): Promise<string[]> {
  if (actor.kind === "service") return [];
  const candidates = await prisma.request.findMany({
    where: { status: "pending", expiresAt: { gt: at }, requesterId: { not: actor.id }, reviews: { none: { reviewerId: actor.id } } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      requesterId: true,
      status: true,
      expiresAt: true,
      approvalRequirements: true,
      approverRole: true,
      requiredApprovals: true,
      policyVersionId: true,
      items: { select: { kind: true } },
    },
  });
  return candidates.filter((r) => reviewRefusal(kinds, r, actor, at) === null).map((r) => r.id);
}
