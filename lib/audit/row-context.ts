// What an audit row says in words beyond its columns: the AWS call an applied
// item made, and who approved the request it belongs to, so one row answers
// "who approved SA X, when, and what call was made".
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { scoped, type AuditRowView } from "./query";

/** The AWS (or Kubernetes) write behind each item kind; adopt records an association without a write. */
const CALLS: Record<string, string> = {
  create: "eks:CreatePodIdentityAssociation",
  update: "eks:UpdatePodIdentityAssociation",
  delete: "eks:DeletePodIdentityAssociation",
  "iam-trust-update": "iam:UpdateAssumeRolePolicy",
  "iam-node-role-policy": "iam:PutRolePolicy",
  "restart-pods": "kubernetes: delete pods (their controllers recreate them)",
};

const ITEM_EVENTS = new Set(["request.item_applied", "request.item_failed"]);

/** "eks:CreatePodIdentityAssociation" for an item's apply row; null for rows that made no call. */
export function awsCallOf(row: Pick<AuditRowView, "event" | "details" | "awsRequestId">): { operation: string; outcome: string | null; awsRequestId: string | null } | null {
  if (!ITEM_EVENTS.has(row.event)) return null;
  const d = (row.details ?? {}) as { kind?: unknown; outcome?: unknown; attempts?: unknown };
  const kind = typeof d.kind === "string" ? d.kind : null;
  if (!kind) return null;
  const outcome = typeof d.outcome === "string" ? d.outcome : null;
  if (kind === "adopt") return { operation: "none: adopted as is (no AWS write)", outcome, awsRequestId: null };
  // A failed item that never reached AWS (blocked by a precheck, outside the targets) made no call.
  if (row.event === "request.item_failed" && d.attempts === 0) return { operation: `${CALLS[kind] ?? kind}: not sent`, outcome, awsRequestId: null };
  return { operation: CALLS[kind] ?? kind, outcome, awsRequestId: row.awsRequestId };
}

export const APPROVAL_EVENTS = ["request.approval_recorded", "request.approved", "request.approved_with_override"] as const;

export interface Approval {
  actor: string;
  at: string;
  event: string;
}

/** The approvals of the requests these rows belong to (one query for the page), as far as `scope` lets the reader see them. */
export async function approvalsOf(prisma: Pick<PrismaClient, "auditEvent">, rows: readonly Pick<AuditRowView, "requestId">[], scope?: Prisma.AuditEventWhereInput): Promise<Map<string, Approval[]>> {
  const ids = [...new Set(rows.map((r) => r.requestId).filter((id): id is string => !!id))];
  const out = new Map<string, Approval[]>();
  if (ids.length === 0) return out;
  const events = await prisma.auditEvent.findMany({
    where: scoped({ requestId: { in: ids }, event: { in: [...APPROVAL_EVENTS] } }, scope),
    orderBy: { id: "asc" },
    select: { requestId: true, actor: true, at: true, event: true },
  });
  for (const e of events) {
    const list = out.get(e.requestId!) ?? [];
    // The final "approved" row repeats the last approver's recorded approval: one line per person.
    if (!list.some((a) => a.actor === e.actor)) list.push({ actor: e.actor, at: e.at.toISOString(), event: e.event });
    out.set(e.requestId!, list);
  }
  return out;
}
