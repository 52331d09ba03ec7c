import "server-only";
// Access reviews (recertification campaigns): start, read, decide, close, report.
// A decision is audited in its own transaction with the item's compare-and-swap;
// a revoke also files the removing request (fileRequest) in that transaction.
import { z } from "zod";
import { actorOf, callerOf, defineOperation } from "@/lib/core/operation";
import { closeCampaign } from "@/lib/reviews/close-campaign";
import { decideItem } from "@/lib/reviews/decide";
import { campaignIdSchema, decisionSchema, reportSchema, startCampaignSchema } from "@/lib/reviews/input";
import { campaignReport, listCampaigns, loadCampaign, myReviewItems } from "@/lib/reviews/read";
import { startCampaign } from "@/lib/reviews/start-campaign";
import { runtime } from "@/lib/runtime";

const progress = z.looseObject({ total: z.number().int(), decided: z.number().int(), kept: z.number().int(), revoked: z.number().int(), byReviewer: z.array(z.object({ reviewer: z.string(), total: z.number().int(), decided: z.number().int() })) });

const reviewItem = z.looseObject({
  id: z.uuid(),
  mechanism: z.enum(["pod-identity", "irsa"]),
  cluster: z.string(),
  namespace: z.string(),
  serviceAccount: z.string(),
  roleArn: z.string(),
  via: z.enum(["exact", "wildcard", "any-sa", "evaluated"]).nullable().meta({ description: "IRSA: how the trust lets the SA in (exact subject, wildcard subject, no :sub condition, full evaluation); null for Pod Identity. A wildcard or any-sa revoke tightens that statement to the other SAs that use the role" }),
  reviewer: z.string(),
  reviewerRule: z.enum(["owner-group", "iam-team"]),
  evidence: z.looseObject({
    roleLastUsed: z.iso.datetime().nullable().meta({ description: "IAM GetRole RoleLastUsed; null = never used in IAM's tracking window" }),
    runningPods: z.array(z.string()),
    approvedBy: z.array(z.string()),
    approvedAt: z.iso.datetime().nullable(),
    requestedBy: z.string().nullable(),
    requesters: z.array(z.string()).meta({ description: "Every requester of an applied request on the mapping: none of them reviews it" }),
  }),
  suggestion: z.enum(["revoke"]).nullable().meta({ description: "revoke: unused longer than ROLEGATE_REVIEW_UNUSED_DAYS with no running pod" }),
  decision: z.enum(["keep", "revoke"]).nullable().meta({ description: "null while undecided" }),
  decisionComment: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  requestId: z.uuid().nullable().meta({ description: "The request a revoke filed" }),
  requestStatus: z.string().nullable().meta({ description: "That request's status now" }),
});

const campaignSummary = z.looseObject({ id: z.uuid(), name: z.string(), status: z.enum(["open", "overdue", "closed"]), dueAt: z.iso.datetime(), createdBy: z.string(), progress });

export const startReviewCampaignOp = defineOperation({
  name: "start-review-campaign",
  access: "reviews:manage",
  input: startCampaignSchema,
  handler: async (ctx) => ({ id: (await startCampaign(runtime().reviewsDeps(ctx.prisma), actorOf(ctx), ctx.input)).id }),
  audit: { recordedBy: "handler", events: ["review.campaign_started"] },
  http: { method: "POST", path: "/api/v1/reviews", status: 201, summary: "Start an access review campaign over the latest scan's mappings in scope (admins, auditors); 400 when nothing is in scope", errors: [400, 403], output: z.object({ id: z.uuid() }) },
});

export const listReviewCampaignsOp = defineOperation({
  name: "list-review-campaigns",
  access: "reviews:read",
  input: z.object({}),
  handler: async (ctx) => ({ campaigns: await listCampaigns(ctx.prisma) }),
  audit: "read-only",
  http: { method: "GET", path: "/api/v1/reviews", status: 200, summary: "Access review campaigns with their progress", output: z.object({ campaigns: z.array(campaignSummary) }) },
});

export const getReviewCampaignOp = defineOperation({
  name: "get-review-campaign",
  access: "reviews:read",
  input: campaignIdSchema,
  handler: (ctx) => loadCampaign(ctx.prisma, ctx.input.id),
  audit: "read-only",
  http: { method: "GET", path: "/api/v1/reviews/{id}", status: 200, summary: "A campaign: every item with its reviewer, evidence, suggestion and decision, and the progress per reviewer", errors: [404], output: campaignSummary.extend({ items: z.array(reviewItem) }) },
});

export const listMyReviewItemsOp = defineOperation({
  name: "list-my-review-items",
  access: "reviews:read",
  input: z.object({}).strict(),
  handler: async (ctx) => ({ campaigns: await myReviewItems(ctx.prisma, callerOf(ctx).login) }),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/reviews/mine",
    status: 200,
    summary: "The caller's review items in campaigns not yet closed (soonest due first), each campaign with only the items the caller reviews, as on /reviews/mine; decide them with POST /api/v1/reviews/{id}/items/{itemId}/decision",
    errors: [400],
    output: z.object({ campaigns: z.array(campaignSummary.extend({ items: z.array(reviewItem) })) }),
  },
});

export const decideReviewItemOp = defineOperation({
  name: "decide-review-item",
  access: "reviews:decide",
  input: decisionSchema,
  handler: (ctx) => decideItem(runtime().reviewsDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["review.item_decided", "request.created"] },
  http: {
    method: "POST",
    path: "/api/v1/reviews/{id}/items/{itemId}/decision",
    status: 200,
    summary: "Decide one of your review items: keep (comment required) or revoke (files the removing request through the approval gate)",
    errors: [400, 403, 404, 409],
    output: z.object({ id: z.uuid(), decision: z.enum(["keep", "revoke"]), requestId: z.uuid().nullable() }),
  },
});

export const closeReviewCampaignOp = defineOperation({
  name: "close-review-campaign",
  access: "reviews:manage",
  input: campaignIdSchema,
  handler: (ctx) => closeCampaign({ prisma: ctx.prisma }, actorOf(ctx), ctx.input.id),
  audit: { recordedBy: "handler", events: ["review.campaign_closed"] },
  http: { method: "POST", path: "/api/v1/reviews/{id}/close", status: 200, summary: "Close a campaign and store a signed audit chain checkpoint with it (admins, auditors); 409 when already closed", errors: [403, 404, 409, 503], output: z.looseObject({ id: z.uuid(), status: z.literal("closed"), checkpoint: z.looseObject({ hash: z.string() }) }) },
});

export const getReviewReportOp = defineOperation({
  name: "get-review-report",
  access: "reviews:read",
  input: reportSchema,
  async handler(ctx) {
    const report = await campaignReport(ctx.prisma, ctx.input.id);
    const disposition = { "content-disposition": `attachment; filename="access-review-${ctx.input.id}.${ctx.input.format}"` };
    if (ctx.input.format === "csv") return new Response(report.csv, { headers: { "content-type": "text/csv; charset=utf-8", ...disposition } });
    return Response.json(report.json, { headers: disposition });
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/reviews/{id}/report",
    status: 200,
    summary: "The auditors' report (format=json|csv): every item with its evidence, decision, comment and resulting request, and the audit checkpoint at close",
    errors: [404],
    output: z.looseObject({ campaign: z.looseObject({ id: z.uuid(), final: z.boolean() }), decisions: z.array(z.looseObject({ itemId: z.uuid(), decision: z.string() })), checkpoint: z.unknown() }),
    produces: ["text/csv"],
  },
});
