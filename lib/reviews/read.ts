// Read side of campaigns: the API shape, progress per reviewer, "my items" and the auditors' report.
import { DomainError } from "@/lib/core/errors";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { ItemEvidence } from "./evidence";

export type CampaignItem = Awaited<ReturnType<typeof loadCampaign>>["items"][number];

function itemView(i: { id: string; mechanism: string; cluster: string; namespace: string; serviceAccount: string; roleArn: string; associationId: string | null; via: string | null; reviewer: string; reviewerRule: string; evidence: unknown; suggestion: string | null; decision: string | null; comment: string | null; decidedBy: string | null; decidedAt: Date | null; resultRequestId: string | null }, requests: Map<string, string>) {
  const e = i.evidence as ItemEvidence;
  return {
    id: i.id,
    mechanism: i.mechanism,
    cluster: i.cluster,
    namespace: i.namespace,
    serviceAccount: i.serviceAccount,
    roleArn: i.roleArn,
    associationId: i.associationId,
    via: i.via,
    reviewer: i.reviewer,
    reviewerRule: i.reviewerRule,
    evidence: { roleLastUsed: e.roleLastUsed, roleLastUsedRegion: e.roleLastUsedRegion, runningPods: e.runningPods, approvedBy: e.approvedBy, approvedAt: e.approvedAt, requestedBy: e.requestedBy, requesters: e.requesters ?? (e.requestedBy ? [e.requestedBy] : []), requestId: e.requestId, findings: e.findings },
    suggestion: i.suggestion,
    // The issue's shape: decision is the plain "keep" | "revoke" (null while undecided); its detail sits beside it.
    decision: i.decision as "keep" | "revoke" | null,
    decisionComment: i.comment,
    decidedBy: i.decidedBy,
    decidedAt: i.decidedAt?.toISOString() ?? null,
    requestId: i.resultRequestId,
    requestStatus: i.resultRequestId ? (requests.get(i.resultRequestId) ?? null) : null,
  };
}

function progressOf(items: { reviewer: string; decision: string | null }[]) {
  const per = new Map<string, { reviewer: string; total: number; decided: number }>();
  for (const i of items) {
    const p = per.get(i.reviewer) ?? { reviewer: i.reviewer, total: 0, decided: 0 };
    p.total++;
    if (i.decision) p.decided++;
    per.set(i.reviewer, p);
  }
  const decided = items.filter((i) => i.decision).length;
  return { total: items.length, decided, kept: items.filter((i) => i.decision === "keep").length, revoked: items.filter((i) => i.decision === "revoke").length, byReviewer: [...per.values()].sort((a, b) => a.reviewer.localeCompare(b.reviewer)) };
}

export async function loadCampaign(prisma: PrismaClient, id: string, filter: { reviewer?: string } = {}) {
  const c = await prisma.reviewCampaign.findUnique({ where: { id }, include: { items: { orderBy: { position: "asc" } } } });
  if (!c) throw new DomainError("not_found", `No review campaign ${id}.`);
  const ids = c.items.map((i) => i.resultRequestId).filter((x): x is string => !!x);
  const requests = new Map((await prisma.request.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } })).map((r) => [r.id, r.status as string]));
  const items = c.items.filter((i) => !filter.reviewer || i.reviewer === filter.reviewer).map((i) => itemView(i, requests));
  return {
    id: c.id,
    name: c.name,
    scope: c.scope,
    status: c.status,
    dueAt: c.dueAt.toISOString(),
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    closedBy: c.closedBy,
    checkpoint: c.checkpoint,
    progress: progressOf(c.items),
    items,
  };
}

export async function listCampaigns(prisma: PrismaClient) {
  const rows = await prisma.reviewCampaign.findMany({ orderBy: { createdAt: "desc" }, take: 200, include: { items: { select: { reviewer: true, decision: true } } } });
  return rows.map((c) => ({ id: c.id, name: c.name, status: c.status, dueAt: c.dueAt.toISOString(), createdBy: c.createdBy, createdAt: c.createdAt.toISOString(), progress: progressOf(c.items) }));
}

/** The signed-in reviewer's items across campaigns that are not closed. */
export async function myReviewItems(prisma: PrismaClient, login: string) {
  const campaigns = await prisma.reviewCampaign.findMany({ where: { status: { in: ["open", "overdue"] }, items: { some: { reviewer: login } } }, orderBy: { dueAt: "asc" }, select: { id: true } });
  return Promise.all(campaigns.map((c) => loadCampaign(prisma, c.id, { reviewer: login })));
}

const CSV_COLUMNS = ["itemId", "mechanism", "cluster", "namespace", "serviceAccount", "roleArn", "via", "reviewer", "reviewerRule", "roleLastUsed", "runningPods", "approvedBy", "approvedAt", "findings", "suggestion", "decision", "comment", "decidedBy", "decidedAt", "resultRequestId", "resultRequestStatus"] as const;

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // Quote always; neutralise spreadsheet formulas (=, +, -, @ at the start).
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

export async function campaignReport(prisma: PrismaClient, id: string) {
  const c = await loadCampaign(prisma, id);
  const rows = c.items.map((i) => ({
    itemId: i.id, mechanism: i.mechanism, cluster: i.cluster, namespace: i.namespace, serviceAccount: i.serviceAccount, roleArn: i.roleArn, via: i.via, reviewer: i.reviewer, reviewerRule: i.reviewerRule,
    roleLastUsed: i.evidence.roleLastUsed ?? "never", runningPods: i.evidence.runningPods.length, approvedBy: i.evidence.approvedBy.join(" "), approvedAt: i.evidence.approvedAt,
    findings: i.evidence.findings.map((f) => `${f.severity}:${f.kind}`).join(" "), suggestion: i.suggestion, decision: i.decision ?? "undecided", comment: i.decisionComment,
    decidedBy: i.decidedBy, decidedAt: i.decidedAt, resultRequestId: i.requestId, resultRequestStatus: i.requestStatus,
  }));
  const json = { campaign: { id: c.id, name: c.name, scope: c.scope, status: c.status, final: c.status === "closed", dueAt: c.dueAt, createdBy: c.createdBy, createdAt: c.createdAt, closedAt: c.closedAt, closedBy: c.closedBy }, progress: c.progress, checkpoint: c.checkpoint, decisions: rows };
  const head = [
    `# RoleGate access review report: ${c.name} (${c.id}), status ${c.status}${c.status === "closed" ? "" : " (not final)"}`,
    `# audit checkpoint at close: ${c.checkpoint ? JSON.stringify(c.checkpoint) : "none (campaign not closed)"}`,
  ];
  const csv = [...head, CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((k) => csvCell(r[k])).join(","))].join("\n") + "\n";
  return { json, csv };
}
