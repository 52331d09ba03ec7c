import "server-only";
// What the request pages (/requests, /settings/approval-policies) read.
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db";
import { listApprovalPolicies } from "./approval-policies";
import { requestAuditStatuses } from "./audit-status";
import type { Actor } from "./deps";
import { listRequests, type ListQuery } from "./list-requests";

/** One page of requests the actor may see, with each request's audit status for those who may read the audit trail. */
export async function requestsView(actor: Actor, query: ListQuery) {
  const prisma = await getPrisma();
  const result = await listRequests(prisma, actor, query);
  const audit = can(actor.role, "audit:read") ? await requestAuditStatuses(prisma, result.rows.map((r) => r.id)) : undefined;
  return { result, audit };
}

export async function approvalPoliciesView() {
  return listApprovalPolicies(await getPrisma());
}
