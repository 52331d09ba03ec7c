// What the lifecycle and usage pages show, as /api/v1 GETs: /drift, /expiry,
// /migration, /stale-pods, /usage and /reviews/mine, through the route handlers on
// the real database and sandbox after a real scan and mappings refresh. Each
// answers what its page reads (compared with the same domain function), 400 naming
// a bad query parameter (unknown ones too: the query schemas are strict), 401 to
// anonymous callers, and 403 to exactly the roles its page's permission leaves out.
import { beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import * as approve from "@/app/api/v1/requests/[id]/approve/route";
import * as drift from "@/app/api/v1/drift/route";
import * as expiry from "@/app/api/v1/expiry/route";
import * as extensions from "@/app/api/v1/expiry/extensions/route";
import * as refresh from "@/app/api/v1/mappings/refreshes/[id]/route";
import * as refreshes from "@/app/api/v1/mappings/refreshes/route";
import * as migrations from "@/app/api/v1/migrations/route";
import * as requests from "@/app/api/v1/requests/route";
import * as reviews from "@/app/api/v1/reviews/route";
import * as myReviews from "@/app/api/v1/reviews/mine/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import * as stalePods from "@/app/api/v1/stale-pods/route";
import * as usage from "@/app/api/v1/usage/route";
import { getDriftOp, listExpiringMappingsOp, listMigrationCandidatesOp, listStalePodsOp } from "@/lib/api/operations/lifecycle-views";
import { getUsageOp } from "@/lib/api/operations/inventory";
import { listMyReviewItemsOp } from "@/lib/api/operations/reviews";
import { can, ROLES, type Permission } from "@/lib/auth/permissions";
import type { AnyOperation } from "@/lib/core/operation";
import { computeDrift } from "@/lib/drift/compute";
import { migrationQuerySchema, queryMigrationRows } from "@/lib/migration/query";
import { migrationOverview } from "@/lib/migration/service";
import { asUser } from "../support/app-harness";
import { PI_ROLE } from "../support/constants";
import { runner } from "../support/requests";
import { as, call, useApiWorld, until, type Handler } from "./support";

const w = useApiWorld();

const ROUTES: [string, Handler, AnyOperation][] = [
  ["/api/v1/drift", drift.GET, getDriftOp],
  ["/api/v1/expiry", expiry.GET, listExpiringMappingsOp],
  ["/api/v1/migrations", migrations.GET, listMigrationCandidatesOp],
  ["/api/v1/stale-pods", stalePods.GET, listStalePodsOp],
  ["/api/v1/usage", usage.GET, getUsageOp],
  ["/api/v1/reviews/mine", myReviews.GET, listMyReviewItemsOp],
];

/** A 400 whose fields name `field` (an unknown parameter is refused as a whole: "_", its message naming it). */
function expectRefused(res: { status: number; body: any }, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe("invalid");
  expect(res.body.error.fields).toHaveProperty([field]);
}

describe("before the first scan", () => {
  it("the scan-based reads answer empty, not an error", async () => {
    expect(await call(migrations.GET, "auditor", { path: "/api/v1/migrations" })).toMatchObject({ status: 200, body: { rows: [], total: 0, scanId: null, scannedAt: null } });
    expect(await call(usage.GET, "auditor", { path: "/api/v1/usage" })).toEqual({ status: 200, body: { latest: [], trend: [], scanId: null } });
  });
});

describe("after a scan and a refresh", () => {
  beforeAll(async () => {
    // The IAM team (approver role) reviews what no owner group covers: api-approver exists before the campaign below.
    await as("approver");
    const s = await call(scans.POST, "admin", { body: {} });
    await until(() => call(scan.GET, "admin", { params: { id: s.body.scanId } }), (r) => r.body.status !== "running");
    const r = await call(refreshes.POST, "admin", { body: {} });
    await until(() => call(refresh.GET, "admin", { params: { id: r.body.refreshId } }), (x) => x.body.status !== "running");
  }, 180_000);

  it("each route: 401 anonymous; 200 for the roles its page admits, 403 for the others; an unknown parameter is a 400", async () => {
    for (const [path, handler, op] of ROUTES) {
      expect(op.http?.path, op.name).toBe(path);
      expect((await call(handler, "anonymous", { path })).status, path).toBe(401);
      for (const role of ROLES) {
        const res = await call(handler, role, { path });
        expect(res.status, `${path} as ${role}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(can(role, op.access as Permission) ? 200 : 403);
      }
      const unknown = await call(handler, "admin", { path: `${path}?colour=blue` });
      expectRefused(unknown, "_");
      expect(unknown.body.error.message, path).toContain("colour");
    }
  }, 120_000);

  it("GET /api/v1/drift: the report /drift shows, each finding with the actions it offers; kind filters; baseline=true adds the estate baseline; 400 names kind", async () => {
    const report = await computeDrift(w.prisma, w.deps.kinds);
    const res = await call(drift.GET, "auditor", { path: "/api/v1/drift" });
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual(report.counts);
    expect(res.body.counts["out-of-band"]).toBeGreaterThan(0);
    expect(res.body.findings.map((f: { key: string }) => f.key)).toEqual(report.findings.map((f) => f.key));
    expect(res.body.clusters.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(["domino-blue", "domino-green"]));
    expect(res.body).not.toHaveProperty("baseline");
    const unowned = res.body.findings.find((f: { kind: string; actual?: { ownerArn: string | null } }) => f.kind === "out-of-band" && !f.actual?.ownerArn);
    expect(unowned).toMatchObject({ key: expect.stringMatching(/^\d{12}\/[\w-]+\/[\w-]+\/[\w-]+\/[\w-]+$/), differences: [expect.any(String)], actions: ["adopt", "revoke"] });

    expect(res.body).toMatchObject({ total: report.findings.length, page: 1, pageSize: 500, pages: 1 });
    const second = await call(drift.GET, "auditor", { path: "/api/v1/drift?pageSize=10&page=2" });
    expect(second.body.findings.map((f: { key: string }) => f.key)).toEqual(report.findings.slice(10, 20).map((f) => f.key));
    expect(second.body).toMatchObject({ total: report.findings.length, page: 2, pageSize: 10, pages: Math.ceil(report.findings.length / 10) });
    expectRefused(await call(drift.GET, "auditor", { path: "/api/v1/drift?pageSize=5000" }), "pageSize");

    const outOfBand = await call(drift.GET, "requester", { path: "/api/v1/drift?kind=out-of-band&baseline=true" });
    expect(outOfBand.status).toBe(200);
    expect(outOfBand.body.findings.length).toBe(report.counts["out-of-band"]);
    expect(outOfBand.body.findings.every((f: { kind: string }) => f.kind === "out-of-band")).toBe(true);
    expect(outOfBand.body.counts).toEqual(report.counts);
    const { baseline } = outOfBand.body;
    expect(baseline.scanned).toBe(true);
    expect(baseline.adopt.length + baseline.setApart.length).toBe(report.counts["out-of-band"]);
    expect(baseline.summary.total).toBe(baseline.adopt.length);

    expectRefused(await call(drift.GET, "requester", { path: "/api/v1/drift?kind=everything" }), "kind");
    expectRefused(await call(drift.GET, "requester", { path: "/api/v1/drift?baseline=yes" }), "baseline");
  });

  it("GET /api/v1/migrations: the /migration rows with their stage, filtered, sorted and paged as the page does; 400 names the bad filter", async () => {
    const { rows } = await migrationOverview(w.prisma);
    expect(rows.length).toBeGreaterThan(1);
    const all = await call(migrations.GET, "auditor", { path: "/api/v1/migrations?pageSize=200" });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: rows.length, page: 1, pages: 1, pageSize: 200, scanId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(all.body.facets.stages.length).toBeGreaterThan(0);
    expect(all.body.rows[0]).toMatchObject({ key: expect.any(String), cluster: expect.any(String), namespace: expect.any(String), serviceAccount: expect.any(String), roleArn: expect.stringMatching(/^arn:aws:iam::/), stage: expect.any(String) });

    // The same query through the page's own function answers the same rows.
    const q = { stage: "to-migrate", sort: "serviceAccount", dir: "desc", pageSize: "10" };
    const page = queryMigrationRows(rows, migrationQuerySchema.parse(q));
    const res = await call(migrations.GET, "requester", { path: `/api/v1/migrations?${new URLSearchParams(q)}` });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { key: string }) => r.key)).toEqual(page.rows.map((r) => r.key));
    expect(res.body.rows.every((r: { stage: string }) => r.stage === "to-migrate")).toBe(true);
    expect(res.body.total).toBe(page.total);

    const bad = await call(migrations.GET, "requester", { path: "/api/v1/migrations?stage=finished&sort=age&pageSize=5" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["pageSize", "sort", "stage"]);
  });

  it("GET /api/v1/stale-pods: per watched cluster, the stale pods listed live with their reason, and the auto-restart settings", async () => {
    const res = await call(stalePods.GET, "auditor", { path: "/api/v1/stale-pods" });
    expect(res.status).toBe(200);
    const green = res.body.clusters.find((c: { name: string }) => c.name === "domino-green");
    expect(green).toMatchObject({ clusterId: expect.stringMatching(/^[0-9a-f-]{36}$/), accountId: "111122223333", region: "us-east-1", error: null });
    const reasons = Object.fromEntries((green.pods as { serviceAccount: string; reason: string }[]).map((p) => [p.serviceAccount, p.reason]));
    // The sandbox's seeded stale pods (tests/stale-pods/stale-pods.test.ts).
    expect(reasons).toMatchObject({ "svc-churn-model": "deleted-association", "svc-mlflow": "changed-association", "svc-report-builder": "before-association" });
    expect(green.namespaces).toContainEqual({ namespace: expect.any(String), autoRestart: false });
  });

  it("GET /api/v1/usage: IRSA against Pod Identity per cluster and namespace, and the trend; 400 names scans", async () => {
    const res = await call(usage.GET, "auditor", { path: "/api/v1/usage?scans=5" });
    expect(res.status).toBe(200);
    expect(res.body.scanId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.latest.length).toBeGreaterThan(0);
    expect(res.body.latest[0]).toEqual({ cluster: expect.any(String), namespace: expect.any(String), irsa: expect.any(Number), podIdentity: expect.any(Number), serviceAccounts: expect.any(Number) });
    expect(res.body.trend).toEqual([{ scanId: res.body.scanId, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), irsa: expect.any(Number), podIdentity: expect.any(Number) }]);
    expectRefused(await call(usage.GET, "auditor", { path: "/api/v1/usage?scans=0" }), "scans");
    expectRefused(await call(usage.GET, "auditor", { path: "/api/v1/usage?scans=many" }), "scans");
  });

  it("GET /api/v1/expiry: a requester sees their own time-bound mappings (mayExtend), others see every one (not theirs to extend); the itemId extends", async () => {
    const expiresAt = new Date(Date.now() + 10 * 86_400_000);
    const filed = await call(requests.POST, "requester", {
      body: { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-page-reads", roleArn: PI_ROLE, justification: "a time-bound mapping for the expiry API", mappingExpiresAt: expiresAt.toISOString() },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect((await call(approve.POST, "approver", { params: { id: filed.body.id }, body: {} })).status).toBe(200);
    await runner(w).drain();

    const mine = await call(expiry.GET, "requester", { path: "/api/v1/expiry" });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      onlyMine: true,
      mappings: [{ itemId: expect.stringMatching(/^[0-9a-f-]{36}$/), requestId: filed.body.id, cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", serviceAccount: "svc-page-reads", roleArn: PI_ROLE, expiresAt: expiresAt.toISOString(), requester: "api-requester", mayExtend: true }],
    });
    const approver = await call(expiry.GET, "approver", { path: "/api/v1/expiry" });
    expect(approver.body).toMatchObject({ onlyMine: false, mappings: [{ requestId: filed.body.id, mayExtend: false }] });

    // Another requester sees none of it, as on the page.
    await asUser("page-reads-other", "requester");
    const other = await expiry.GET(new Request("http://localhost/api/v1/expiry"));
    expect(await other.json()).toEqual({ onlyMine: true, mappings: [] });

    const extension = await call(extensions.POST, "requester", { body: { itemId: mine.body.mappings[0].itemId, newExpiresAt: new Date(expiresAt.getTime() + 7 * 86_400_000).toISOString(), justification: "the project runs one more week" } });
    expect(extension.status, JSON.stringify(extension.body)).toBe(201);
  }, 120_000);

  it("GET /api/v1/reviews/mine: the caller's items in open campaigns only; someone with no item gets none", async () => {
    const started = await call(reviews.POST, "auditor", { body: { name: "Page reads", scope: { clusters: ["domino-green"], roles: ["domino-irsa-athena-query"], mechanism: "irsa" }, dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString() } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const res = await call(myReviews.GET, "approver", { path: "/api/v1/reviews/mine" });
    expect(res.status).toBe(200);
    expect(res.body.campaigns).toHaveLength(1);
    const [campaign] = res.body.campaigns;
    expect(campaign).toMatchObject({ id: started.body.id, name: "Page reads", status: "open", progress: { total: 2, decided: 0 } });
    expect(campaign.items.length).toBe(2);
    expect(campaign.items.every((i: { reviewer: string; decision: unknown }) => i.reviewer === "api-approver" && i.decision === null)).toBe(true);
    expect((await call(myReviews.GET, "requester", { path: "/api/v1/reviews/mine" })).body).toEqual({ campaigns: [] });
  });
});
