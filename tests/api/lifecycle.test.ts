// The lifecycle actions as /api/v1 routes (Blue/Green copy, re-point and
// clean-up; migration step 1 and clean-up; drift resolution; stale-pod restart
// and auto-restart; expiry extension), through the route handlers on the real
// database and sandbox, after a real scan and mappings refresh. Each files an
// approval-gated request through the same domain service as the page's button.
import { beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import * as bluegreen from "@/app/api/v1/bluegreen/route";
import * as copies from "@/app/api/v1/bluegreen/copies/route";
import * as clusters from "@/app/api/v1/clusters/route";
import * as cleanups from "@/app/api/v1/bluegreen/cleanups/route";
import * as repoints from "@/app/api/v1/bluegreen/repoints/route";
import * as resolutions from "@/app/api/v1/drift/resolutions/route";
import * as bulkResolutions from "@/app/api/v1/drift/bulk-resolutions/route";
import * as baseline from "@/app/api/v1/drift/baseline/route";
import * as extensions from "@/app/api/v1/expiry/extensions/route";
import * as refresh from "@/app/api/v1/mappings/refreshes/[id]/route";
import * as refreshes from "@/app/api/v1/mappings/refreshes/route";
import * as migrationCleanups from "@/app/api/v1/migrations/cleanups/route";
import * as migrations from "@/app/api/v1/migrations/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import * as autoRestart from "@/app/api/v1/stale-pods/auto-restart/route";
import * as restarts from "@/app/api/v1/stale-pods/restarts/route";
import { computeDrift } from "@/lib/drift/compute";
import { migrationOverview } from "@/lib/migration/service";
import { call, useApiWorld, until, type Handler } from "./support";


const NO_ID = "00000000-0000-4000-8000-00000000dead";
const w = useApiWorld();
beforeAll(async () => {
  const s = await call(scans.POST, "admin", { body: {} });
  await until(() => call(scan.GET, "admin", { params: { id: s.body.scanId } }), (r) => r.body.status !== "running");
  const r = await call(refreshes.POST, "admin", { body: {} });
  expect(r.status).toBe(202);
  await until(() => call(refresh.GET, "admin", { params: { id: r.body.refreshId } }), (x) => x.body.status !== "running");
}, 180_000);

/** 201 with a pending request, whose request.created audit row names the caller. */
async function expectFiled(res: { status: number; body: { id?: string; status?: string; error?: unknown } }, login: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: "pending" });
  expect(await w.prisma.request.findUnique({ where: { id: res.body.id! } })).toMatchObject({ status: "pending" });
  expect(await w.prisma.auditEvent.count({ where: { event: "request.created", subject: `request:${res.body.id}`, actor: login } })).toBe(1);
}

/** 401 anonymous and 403 for an auditor, with nothing filed. */
async function expectGuarded(handler: Handler, body: unknown) {
  const before = await w.prisma.request.count();
  expect((await call(handler, "anonymous", { body })).status).toBe(401);
  const auditor = await call(handler, "auditor", { body });
  expect(auditor.status).toBe(403);
  expect(auditor.body.error.code).toBe("forbidden");
  expect(await w.prisma.request.count()).toBe(before);
}

describe("Blue/Green", () => {
  const pair = { blue: "domino-blue", green: "domino-green" };

  it("GET /api/v1/bluegreen: 200 pairs, retired EKS issuers and the other issuers (GitHub Actions as non-eks) for any reader; 401 anonymous; writes nothing", async () => {
    expect((await call(bluegreen.GET, "anonymous")).status).toBe(401);
    const [requests, audit] = [await w.prisma.request.count(), await w.prisma.auditEvent.count()];
    const res = await call(bluegreen.GET, "auditor", { path: "/api/v1/bluegreen" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["otherIssuers", "pairs", "retiredIssuers"]);
    expect(res.body.pairs.find((p: { blue: string }) => p.blue === "domino-blue")).toMatchObject({ green: "domino-green", copies: expect.any(Array), repointLeftOut: expect.any(Array) });
    expect(res.body.retiredIssuers.map((r: { issuer: string }) => r.issuer)).toEqual([expect.stringMatching(/^oidc\.eks\.us-east-1\.amazonaws\.com\/id\//)]);
    expect(res.body.otherIssuers).toContainEqual({ issuer: "token.actions.githubusercontent.com", kind: "non-eks", roles: ["arn:aws:iam::111122223333:role/github-actions-deploy"] });
    expect([await w.prisma.request.count(), await w.prisma.auditEvent.count()]).toEqual([requests, audit]);
  });

  it("POST /api/v1/bluegreen/copies: 201 a pending copy request; 400 bad cluster name; 404 a cluster not in the scan; 401/403", async () => {
    await expectGuarded(copies.POST, pair);
    await expectFiled(await call(copies.POST, "requester", { body: pair }), "api-requester");
    const bad = await call(copies.POST, "requester", { body: { blue: "Blue Cluster!", green: "domino-green" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("blue");
    expect((await call(copies.POST, "requester", { body: { blue: "domino-red", green: "domino-green" } })).status).toBe(404);
  });

  it("POST /api/v1/bluegreen/repoints: 201 a pending IRSA re-pointing request; 400; 401/403", async () => {
    await expectGuarded(repoints.POST, pair);
    await expectFiled(await call(repoints.POST, "approver", { body: pair }), "api-approver");
    expect((await call(repoints.POST, "approver", { body: { blue: "domino-blue" } })).body.error.fields).toHaveProperty("green");
  });

  it("POST /api/v1/bluegreen/cleanups: a live cluster's issuer is refused (409), as is one no trust policy names; a malformed one is a 400; 401/403", async () => {
    const issuer = "oidc.eks.us-east-1.amazonaws.com/id/NOSUCHISSUER";
    await expectGuarded(cleanups.POST, { issuer });
    const green = (await call(clusters.GET, "requester")).body.clusters.find((c: { name: string }) => c.name === "domino-green");
    const live = await call(cleanups.POST, "requester", { body: { issuer: String(green.oidcIssuer).replace(/^https:\/\//, "") } });
    expect(live.status).toBe(409);
    const bad = await call(cleanups.POST, "requester", { body: { issuer: "not an issuer" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("issuer");
    const none = await call(cleanups.POST, "requester", { body: { issuer } });
    expect(none.status).toBe(409);
  });
});

describe("migration", () => {
  it("POST /api/v1/migrations (step 1) and /api/v1/migrations/cleanups: 201 for a scanned IRSA candidate, 404 for an unknown key, 400 for a malformed one, 401/403", async () => {
    const { rows } = await migrationOverview(w.prisma);
    expect(rows.length).toBeGreaterThan(0);
    const key = rows[0]!.key;
    await expectGuarded(migrations.POST, { key });
    await expectGuarded(migrationCleanups.POST, { key });
    await expectFiled(await call(migrations.POST, "requester", { body: { key } }), "api-requester");
    expect((await call(migrations.POST, "requester", { body: { key: "no/such/candidate/at-all" } })).status).toBe(404);
    expect((await call(migrationCleanups.POST, "requester", { body: { key: "no/such/candidate/at-all" } })).status).toBe(404);
    const bad = await call(migrations.POST, "requester", { body: { key: "x" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("key");
  });
});

describe("drift", () => {
  it("POST /api/v1/drift/resolutions: adopting an out-of-band association files a request; an action that does not apply is a 400; unknown key 404; 401/403", async () => {
    const report = await computeDrift(w.prisma, w.deps.kinds);
    const outOfBand = report.findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn);
    expect(outOfBand, "the sandbox has associations RoleGate did not create").toBeTruthy();
    await expectGuarded(resolutions.POST, { action: "adopt", key: outOfBand!.key });
    const wrong = await call(resolutions.POST, "requester", { body: { action: "reapply", key: outOfBand!.key } });
    expect(wrong.status).toBe(400);
    await expectFiled(await call(resolutions.POST, "requester", { body: { action: "adopt", key: outOfBand!.key } }), "api-requester");
    expect((await call(resolutions.POST, "requester", { body: { action: "adopt", key: "1/2/3/4/5" } })).status).toBe(404);
    expect((await call(resolutions.POST, "requester", { body: { action: "delete-everything", key: outOfBand!.key } })).body.error.fields).toHaveProperty("action");
  });

  it("POST /api/v1/drift/bulk-resolutions: one request for several keys; one unknown key refuses the whole call (400, nothing filed); 401/403", async () => {
    const keys = (await computeDrift(w.prisma, w.deps.kinds)).findings.filter((f) => f.kind === "out-of-band" && !f.actual?.ownerArn).slice(0, 3).map((f) => f.key);
    expect(keys).toHaveLength(3);
    await expectGuarded(bulkResolutions.POST, { action: "revoke", keys });
    const before = await w.prisma.request.count();
    const forged = await call(bulkResolutions.POST, "requester", { body: { action: "revoke", keys: [...keys, "1/2/3/4/5"] } });
    expect(forged.status).toBe(400);
    expect(forged.body.error.fields.keys[0]).toContain("1/2/3/4/5");
    expect((await call(bulkResolutions.POST, "requester", { body: { action: "revoke", keys: [] } })).body.error.fields).toHaveProperty("keys");
    expect(await w.prisma.request.count()).toBe(before);
    const res = await call(bulkResolutions.POST, "requester", { body: { action: "revoke", keys } });
    await expectFiled(res, "api-requester");
    const items = await w.prisma.requestItem.findMany({ where: { requestId: res.body.id, kind: "delete" } });
    expect(items).toHaveLength(3);
  });

  it("POST /api/v1/drift/baseline: admins only; one request of adopt items, the associations with findings set apart", async () => {
    expect((await call(baseline.POST, "anonymous", { body: {} })).status).toBe(401);
    expect((await call(baseline.POST, "requester", { body: {} })).status).toBe(403);
    const res = await call(baseline.POST, "admin", { body: {} });
    await expectFiled(res, "api-admin");
    expect(res.body.adopted).toBeGreaterThan(0);
    expect(res.body.setApart.length).toBeGreaterThan(0);
    const items = await w.prisma.requestItem.findMany({ where: { requestId: res.body.id } });
    expect(items.every((i) => i.kind === "adopt")).toBe(true);
    expect(items).toHaveLength(res.body.adopted);
    const created = await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "request.created", subject: `request:${res.body.id}` } });
    expect(created.details).toMatchObject({ adopt: true, baseline: true, summary: { total: res.body.adopted } });
  });
});

describe("stale pods", () => {
  it("POST /api/v1/stale-pods/restarts: a dry run answers the plan and writes nothing; unknown cluster 404; 400; 401/403", async () => {
    const cluster = (await w.prisma.cluster.findFirst({ where: { name: "domino-green" } }))!;
    await expectGuarded(restarts.POST, { clusterId: cluster.id, dryRun: true });
    const audit = await w.prisma.auditEvent.count();
    const dry = await call(restarts.POST, "requester", { body: { clusterId: cluster.id, dryRun: true } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(await w.prisma.auditEvent.count()).toBe(audit);
    expect((await call(restarts.POST, "requester", { body: { clusterId: NO_ID } })).status).toBe(404);
    expect((await call(restarts.POST, "requester", { body: { clusterId: "domino-green" } })).body.error.fields).toHaveProperty("clusterId");
  });

  it("POST /api/v1/stale-pods/auto-restart: admins only (403 for a requester), audited as lifecycle.auto_restart_set; 400; 401", async () => {
    const cluster = (await w.prisma.cluster.findFirst({ where: { name: "domino-green" } }))!;
    const body = { clusterId: cluster.id, namespace: "domino-compute", enabled: true };
    expect((await call(autoRestart.POST, "anonymous", { body })).status).toBe(401);
    expect((await call(autoRestart.POST, "requester", { body })).status).toBe(403);
    const ok = await call(autoRestart.POST, "admin", { body });
    expect(ok).toEqual({ status: 200, body: { namespace: "domino-compute", autoRestart: true } });
    expect(await w.prisma.auditEvent.count({ where: { event: "lifecycle.auto_restart_set", actor: "api-admin" } })).toBe(1);
    expect((await call(autoRestart.POST, "admin", { body: { ...body, enabled: "yes" } })).body.error.fields).toHaveProperty("enabled");
  });
});

describe("expiry", () => {
  it("POST /api/v1/expiry/extensions: unknown mapping 404; a date that is not one is a 400; 401/403", async () => {
    const body = { itemId: NO_ID, newExpiresAt: "2030-01-01T00:00:00Z", justification: "the project runs one more quarter" };
    await expectGuarded(extensions.POST, body);
    expect((await call(extensions.POST, "requester", { body })).status).toBe(404);
    const bad = await call(extensions.POST, "requester", { body: { ...body, newExpiresAt: "next year", justification: "short" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["justification", "newExpiresAt"]);
  });
});
