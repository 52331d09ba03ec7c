import "server-only";
// Read-only queries of requests for pages and API routes, so neither imports
// Prisma: the request view and its audit status (no write during a GET or a
// render; prechecks computed now without storing them are freshPrechecks in
// ./refresh-prechecks, stored only by the explicit POST /api/v1/requests/{id}/prechecks).
import { getPrisma } from "@/lib/db";
import { DomainError } from "@/lib/core/errors";
import type { Actor } from "./deps";
import { getRequestView, type RequestView } from "./get-request";
import { can } from "@/lib/auth/permissions";
import { listApprovalPolicies } from "./approval-policies";
import { requestAuditStatus, requestAuditStatuses } from "./audit-status";
import { listRequests, type ListQuery } from "./list-requests";
import { iamItemDiffs, requesterHistory } from "./decision-context";
import { inventoryView } from "@/lib/inventory/queries";
import { currentPolicyOf, requestInventoryContext } from "@/lib/inventory/views/request-context";
import { reviewInbox, type Reviewer } from "./inbox";
import { reviewRefusal } from "./review-rules";
import { runtime } from "@/lib/runtime";
import type { ItemKinds } from "./item-kinds";

export type { RequestView };

/** The request as the detail page and GET /api/v1/requests/{id} show it; not_found when missing. */
export async function findRequestView(id: string): Promise<RequestView> {
  return getRequestView(await getPrisma(), id);
}

export async function findRequestAuditStatus(id: string) {
  return requestAuditStatus(await getPrisma(), id);
}

/** The request view, or null when there is no such request (pages answer 404). */
export async function findRequestViewOrNull(id: string): Promise<RequestView | null> {
  return findRequestView(id).catch((e) => {
    if (e instanceof DomainError && e.code === "not_found") return null;
    throw e;
  });
}


// What the request pages (/requests, /settings/approval-policies) read.
/** One page of requests the actor may see, with each request's audit status for those who may read the audit trail. */
export async function requestsView(actor: Reviewer, query: ListQuery) {
  const prisma = await getPrisma();
  const result = await listRequests({ prisma, kinds: runtime().kinds }, actor, query);
  const audit = can(actor.role, "audit:read") ? await requestAuditStatuses(prisma, result.rows.map((r) => r.id)) : undefined;
  return { result, audit };
}

export async function approvalPoliciesView() {
  return listApprovalPolicies(await getPrisma());
}

/**
 * What the decision screen shows beside a request: who else can assume its roles and the pods running with
 * its service accounts (latest scan; null before the first), the requester's last requests, and each IAM
 * item's statement-level diff against the policy the role has now (as the scan read it).
 */
export async function decisionContextView(view: RequestView) {
  const prisma = await getPrisma();
  const [inventory, history] = await Promise.all([inventoryView(), requesterHistory(prisma, view.requester.id, view.id)]);
  const subjects = view.items.map((i) => ({ cluster: i.cluster, namespace: i.namespace, serviceAccount: i.serviceAccount, roleArn: i.kind.startsWith("iam-") ? null : i.roleArn ?? i.subjectRoleArn }));
  return {
    inventory: inventory ? requestInventoryContext(inventory, subjects) : null,
    history,
    diffs: iamItemDiffs(view.items, (i) => (inventory ? currentPolicyOf(inventory, i) : { known: false, document: null })),
  };
}
export type DecisionContextView = Awaited<ReturnType<typeof decisionContextView>>;
/**
 * Why `actor` may not review request `id` now, or null when they may: the same rule the
 * approve/reject services and the inbox apply, so the request page never offers a review
 * the server would refuse.
 */
export async function reviewRefusalView(id: string, actor: Reviewer): Promise<string | null> {
  if (actor.kind === "service") return "Service accounts never review requests.";
  const prisma = await getPrisma();
  const [request, previous] = await Promise.all([
    prisma.request.findUnique({ where: { id }, include: { items: { select: { kind: true } } } }),
    prisma.review.findUnique({ where: { requestId_reviewerId: { requestId: id, reviewerId: actor.id } } }),
  ]);
  if (!request) return `There is no request ${id}.`;
  return reviewRefusal(runtime().kinds, request, actor, new Date(), previous)?.message ?? null;
}

/** The item-kind registry of this process (lib/runtime.ts), for other folders' read models (drift, expiry, /metrics). */
export function processItemKinds(): ItemKinds {
  return runtime().kinds;
}

/** How many requests `actor` may review now: the navigation's and the overview's "Needs your review (N)". */
export async function reviewInboxCount(actor: Reviewer): Promise<number> {
  return (await reviewInbox(await getPrisma(), runtime().kinds, actor)).length;
}
