// Access reviews as /api/v1 routes, on the real database and sandbox after a real
// scan: start a campaign (201 {id}), read it with its items and evidence, decide
// (keep needs a comment; only the item's reviewer; revoke files a pending request
// through the approval gate), report (CSV / JSON) and close (signed checkpoint).
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as reviews from "@/app/api/v1/reviews/route";
import * as campaign from "@/app/api/v1/reviews/[id]/route";
import * as close from "@/app/api/v1/reviews/[id]/close/route";
import * as decision from "@/app/api/v1/reviews/[id]/items/[itemId]/decision/route";
import * as report from "@/app/api/v1/reviews/[id]/report/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import { getReviewCampaignOp } from "@/lib/api/operations/reviews";
import { as, call, useApiWorld, until } from "./support";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("../support/app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("../support/app-harness")).dbMock);
vi.mock("@/lib/config", async (orig) => (await import("../support/app-harness")).configMock(await orig()));

const NO_ID = "00000000-0000-4000-8000-00000000dead";
const w = useApiWorld();
const scope = { clusters: ["domino-green"], roles: ["domino-irsa-athena-query"], mechanism: "irsa" };
const dueAt = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
let id = "";

beforeAll(async () => {
  const s = await call(scans.POST, "admin", { body: {} });
  await until(() => call(scan.GET, "admin", { params: { id: s.body.scanId } }), (r) => r.body.status !== "running");
  // The IAM team (approver role) reviews what no owner group covers: api-approver is its one member here.
  await as("approver");
}, 180_000);

describe("POST /api/v1/reviews", () => {
  it("admins and auditors start a campaign (201 {id}); requesters 403, anonymous 401; bad input 400 naming the field; nothing written on refusal", async () => {
    const before = await w.prisma.reviewCampaign.count();
    expect((await call(reviews.POST, "anonymous", { body: { name: "Athena", scope, dueAt: dueAt() } })).status).toBe(401);
    expect((await call(reviews.POST, "requester", { body: { name: "Athena", scope, dueAt: dueAt() } })).status).toBe(403);
    expect((await call(reviews.POST, "auditor", { body: { name: "Athena", scope, dueAt: "2001-01-01T00:00:00Z" } })).body.error.fields).toHaveProperty("dueAt");
    expect((await call(reviews.POST, "auditor", { body: { name: "Athena", scope: { mechanism: "saml" }, dueAt: dueAt() } })).body.error.fields).toHaveProperty(["scope.mechanism"]);
    const empty = await call(reviews.POST, "auditor", { body: { name: "Nothing", scope: { clusters: ["no-such-cluster"] }, dueAt: dueAt() } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toHaveProperty("scope");
    expect(await w.prisma.reviewCampaign.count()).toBe(before);
    const r = await call(reviews.POST, "auditor", { body: { name: "Athena on green", scope, dueAt: dueAt() } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    id = r.body.id;
    expect(await w.prisma.auditEvent.count({ where: { event: "review.campaign_started", actor: "api-auditor" } })).toBe(1);
  });

  it("GET /api/v1/reviews and /{id}: items with reviewer, evidence, suggestion and decision, and the progress; 404 unknown, 400 not a uuid", async () => {
    const list = await call(reviews.GET, "requester");
    expect(list.body.campaigns).toEqual([expect.objectContaining({ id, status: "open", progress: expect.objectContaining({ total: 2, decided: 0 }) })]);
    const c = await call(campaign.GET, "requester", { params: { id } });
    expect(c.status).toBe(200);
    expect(c.body.items.map((i: { serviceAccount: string }) => i.serviceAccount).sort()).toEqual(["dmuser-ebrown", "dmuser-fharris"]);
    for (const i of c.body.items) {
      expect(i).toMatchObject({ mechanism: "irsa", via: "exact", cluster: "domino-green", namespace: "domino-compute", roleArn: "arn:aws:iam::111122223333:role/domino-irsa-athena-query", reviewer: "api-approver", reviewerRule: "iam-team", decision: null, decidedBy: null, requestId: null });
      expect(i.evidence).toEqual(expect.objectContaining({ roleLastUsed: expect.any(String), runningPods: expect.any(Array), approvedBy: [], approvedAt: null }));
    }
    expect(c.body.progress.byReviewer).toEqual([{ reviewer: "api-approver", total: 2, decided: 0 }]);
    expect((await call(campaign.GET, "requester", { params: { id: NO_ID } })).status).toBe(404);
    expect((await call(campaign.GET, "requester", { params: { id: "nope" } })).status).toBe(400);
    expect((await call(campaign.GET, "anonymous", { params: { id } })).status).toBe(401);
  });
});

describe("POST /api/v1/reviews/{id}/items/{itemId}/decision", () => {
  it("only the reviewer decides; keep needs a comment; revoke files a pending request; a decided item is 409", async () => {
    const items = (await call(campaign.GET, "approver", { params: { id } })).body.items as { id: string; serviceAccount: string }[];
    const [keep, revoke] = [items.find((i) => i.serviceAccount === "dmuser-fharris")!, items.find((i) => i.serviceAccount === "dmuser-ebrown")!];
    const params = (itemId: string) => ({ id, itemId });
    expect((await call(decision.POST, "admin", { params: params(keep.id), body: { decision: "keep", comment: "still needed" } })).status).toBe(403);
    expect((await call(decision.POST, "auditor", { params: params(keep.id), body: { decision: "keep", comment: "still needed" } })).status).toBe(403);
    const noComment = await call(decision.POST, "approver", { params: params(keep.id), body: { decision: "keep" } });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.fields).toHaveProperty("comment");
    expect((await call(decision.POST, "approver", { params: params(NO_ID), body: { decision: "keep", comment: "still needed" } })).status).toBe(404);
    const kept = await call(decision.POST, "approver", { params: params(keep.id), body: { decision: "keep", comment: "Daily Athena reports still run" } });
    expect(kept).toMatchObject({ status: 200, body: { id: keep.id, decision: "keep", requestId: null } });
    expect((await call(decision.POST, "approver", { params: params(keep.id), body: { decision: "revoke" } })).status).toBe(409);
    const revoked = await call(decision.POST, "approver", { params: params(revoke.id), body: { decision: "revoke", comment: "retired" } });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const request = await w.prisma.request.findUniqueOrThrow({ where: { id: revoked.body.requestId }, include: { items: true } });
    expect(request).toMatchObject({ status: "pending", kind: "batch" });
    expect(request.items.map((i) => i.kind)).toEqual(["iam-trust-update"]);
    expect(await w.prisma.auditEvent.count({ where: { event: "review.item_decided", actor: "api-approver" } })).toBe(2);
    // GET /{id}: decision is the plain "keep" | "revoke" the issue names; who, when, why and the request sit beside it.
    const body = (await call(campaign.GET, "requester", { params: { id } })).body;
    // The answer is what the OpenAPI document declares (the operation's output schema).
    expect(getReviewCampaignOp.http!.output!.safeParse(body).error).toBeUndefined();
    const after = body.items as Record<string, unknown>[];
    expect(after.find((i) => i.id === keep.id)).toMatchObject({ decision: "keep", decisionComment: "Daily Athena reports still run", decidedBy: "api-approver", decidedAt: expect.any(String), requestId: null, requestStatus: null, via: "exact" });
    expect(after.find((i) => i.id === revoke.id)).toMatchObject({ decision: "revoke", decisionComment: "retired", decidedBy: "api-approver", requestId: revoked.body.requestId, requestStatus: "pending", via: "exact" });
  });
});

describe("report and close", () => {
  it("GET /report answers CSV or JSON with every decision; POST /close signs a checkpoint once (409 the second time) and needs reviews:manage", async () => {
    const csv = await call(report.GET, "auditor", { path: `/api/v1/reviews/${id}/report?format=csv`, params: { id } });
    expect(csv.status).toBe(200);
    const lines = (csv.body as string).split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^itemId,mechanism,cluster/);
    expect((await call(report.GET, "auditor", { path: `/api/v1/reviews/${id}/report?format=xml`, params: { id } })).status).toBe(400);
    expect((await call(close.POST, "requester", { params: { id }, body: {} })).status).toBe(403);
    const closed = await call(close.POST, "auditor", { params: { id }, body: {} });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ id, status: "closed", checkpoint: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((await call(close.POST, "auditor", { params: { id }, body: {} })).status).toBe(409);
    const json = await call(report.GET, "auditor", { path: `/api/v1/reviews/${id}/report?format=json`, params: { id } });
    expect(json.body.campaign.final).toBe(true);
    expect(json.body.checkpoint).toMatchObject({ hash: closed.body.checkpoint.hash });
    expect(json.body.decisions.map((d: { decision: string }) => d.decision).sort()).toEqual(["keep", "revoke"]);
  });
});
