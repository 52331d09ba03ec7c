// GET /api/v1/service-accounts, /roles, /roles/{arn}, /findings, /clusters and
// POST /api/v1/scans + GET /api/v1/scans/{id}, through the route handlers on the
// real database and sandbox: documented statuses, 401 without a caller, 403 for
// a role without the permission, 400 naming the bad field.
import { describe, expect, it } from "vitest";
import "../support/app-mocks";
import * as clusters from "@/app/api/v1/clusters/route";
import * as findings from "@/app/api/v1/findings/route";
import * as role from "@/app/api/v1/roles/[arn]/route";
import * as roles from "@/app/api/v1/roles/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import * as serviceAccounts from "@/app/api/v1/service-accounts/route";
import { call, useApiWorld, until } from "./support";


const w = useApiWorld();

const NO_ID = "00000000-0000-4000-8000-00000000dead";

describe("before the first scan", () => {
  it("lists answer 200 with no rows and scanId null, not an error", async () => {
    const res = await call(serviceAccounts.GET, "auditor", { path: "/api/v1/service-accounts" });
    expect(res).toMatchObject({ status: 200, body: { rows: [], total: 0, scanId: null } });
    expect((await call(clusters.GET, "auditor")).body).toMatchObject({ clusters: [], scanId: null });
  });
});

describe("POST /api/v1/scans and GET /api/v1/scans/{id}", () => {
  it("401 without a caller, 403 for an auditor, 400 for an unknown field; nothing started", async () => {
    expect((await call(scans.POST, "anonymous", { body: {} })).status).toBe(401);
    const auditor = await call(scans.POST, "auditor", { body: {} });
    expect(auditor.status).toBe(403);
    expect(auditor.body.error.code).toBe("forbidden");
    const bad = await call(scans.POST, "requester", { body: { cluster: "domino-blue" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("_");
    expect(await w.prisma.scan.count()).toBe(0);
  });

  it("202 with the scan id, audited as inventory.scan_started; the scan is followed to its end; 400 bad id, 404 unknown id", async () => {
    const started = await call(scans.POST, "requester", { body: {} });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ scanId: expect.stringMatching(/^[0-9a-f-]{36}$/), alreadyRunning: false });
    const id = started.body.scanId as string;
    expect(await w.prisma.auditEvent.count({ where: { event: "inventory.scan_started", actor: "api-requester", subject: `scan:${id}` } })).toBe(1);
    const finished = await until(() => call(scan.GET, "auditor", { params: { id } }), (r) => r.body.status !== "running");
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ id, status: expect.stringMatching(/^(succeeded|partial)$/), trigger: "manual", startedBy: "api-requester" });
    expect((await call(scan.GET, "auditor", { params: { id: "nope" } })).status).toBe(400);
    expect((await call(scan.GET, "auditor", { params: { id: NO_ID } })).status).toBe(404);
    expect((await call(scan.GET, "anonymous", { params: { id } })).status).toBe(401);
  });
});

describe("after a scan", () => {
  it("GET /api/v1/service-accounts pages SA -> role rows and filters them; 400 names a bad filter; 401 anonymous", async () => {
    const all = await call(serviceAccounts.GET, "requester", { path: "/api/v1/service-accounts?pageSize=200" });
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThan(5);
    expect(all.body.scanId).toMatch(/^[0-9a-f-]{36}$/);
    expect(all.body.rows[0]).toMatchObject({ cluster: expect.any(String), namespace: expect.any(String), serviceAccount: expect.any(String), roleArn: expect.stringMatching(/^arn:aws:iam::/), mechanism: expect.stringMatching(/^(irsa|pod-identity|both)$/) });
    const irsa = await call(serviceAccounts.GET, "requester", { path: "/api/v1/service-accounts?mechanism=irsa&pageSize=200" });
    expect(irsa.body.rows.length).toBeGreaterThan(0);
    expect(irsa.body.rows.every((r: { mechanism: string }) => r.mechanism === "irsa")).toBe(true);
    expect(irsa.body.total).toBeLessThan(all.body.total);
    const bad = await call(serviceAccounts.GET, "requester", { path: "/api/v1/service-accounts?mechanism=magic&pageSize=5" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["mechanism", "pageSize"]);
    expect((await call(serviceAccounts.GET, "anonymous", { path: "/api/v1/service-accounts" })).status).toBe(401);
  });

  it("GET /api/v1/roles and GET /api/v1/roles/{arn}: who can assume a role and through which trust statement; 404 unknown role, 400 not an ARN", async () => {
    const list = await call(roles.GET, "auditor", { path: "/api/v1/roles?sort=assumers&dir=desc" });
    expect(list.status).toBe(200);
    const top = list.body.rows[0] as { arn: string; assumers: number };
    expect(top.assumers).toBeGreaterThan(0);
    expect((await call(roles.GET, "auditor", { path: "/api/v1/roles?sort=size" })).body.error.fields).toHaveProperty("sort");
    // The ARN is one URL-encoded path segment.
    const one = await call(role.GET, "auditor", { params: { arn: encodeURIComponent(top.arn) } });
    expect(one.status).toBe(200);
    expect(one.body.arn).toBe(top.arn);
    expect(one.body.assumers.length).toBeGreaterThan(0);
    const letIn = (one.body.statements as { matchedBy: string[]; statement: unknown }[]).filter((s) => s.matchedBy.length > 0);
    expect(letIn.length).toBeGreaterThan(0);
    const a = one.body.assumers[0] as { cluster: string; namespace: string; serviceAccount: string };
    expect(letIn.flatMap((s) => s.matchedBy).some((m) => m.startsWith(`${a.cluster}/${a.namespace}/${a.serviceAccount} (`))).toBe(true);
    expect((await call(role.GET, "auditor", { params: { arn: encodeURIComponent("arn:aws:iam::111122223333:role/no/such-role") } })).status).toBe(404);
    const notArn = await call(role.GET, "auditor", { params: { arn: "etl" } });
    expect(notArn.status).toBe(400);
    expect(notArn.body.error.fields).toHaveProperty("arn");
    expect((await call(role.GET, "anonymous", { params: { arn: encodeURIComponent(top.arn) } })).status).toBe(401);
  });

  it("GET /api/v1/findings: most severe first, filtered by severity; 400 for an unknown severity", async () => {
    const res = await call(findings.GET, "approver", { path: "/api/v1/findings?pageSize=200" });
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThan(0);
    const rank = { high: 0, medium: 1, low: 2, info: 3 } as Record<string, number>;
    const ranks = (res.body.rows as { severity: string }[]).map((f) => rank[f.severity]!);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    const high = await call(findings.GET, "approver", { path: "/api/v1/findings?severity=high&pageSize=200" });
    expect(high.body.rows.every((f: { severity: string }) => f.severity === "high")).toBe(true);
    const bad = await call(findings.GET, "approver", { path: "/api/v1/findings?severity=extreme" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.severity[0]).toMatch(/must be one of/);
    expect((await call(findings.GET, "anonymous", { path: "/api/v1/findings" })).status).toBe(401);
  });

  it("GET /api/v1/findings?id=: one finding whole, with its fix (the /mappings rows load it when opened); none once gone; 400 past the cap", async () => {
    const all = await call(findings.GET, "requester", { path: "/api/v1/findings?pageSize=200" });
    const withFix = (all.body.rows as { id: string; fix?: { json?: string } }[]).find((f) => f.fix?.json);
    expect(withFix).toBeDefined();
    const one = await call(findings.GET, "requester", { path: `/api/v1/findings?${new URLSearchParams({ id: withFix!.id })}` });
    expect(one.status).toBe(200);
    expect(one.body.total).toBe(1);
    expect(one.body.rows[0]).toEqual(withFix);
    const gone = await call(findings.GET, "requester", { path: `/api/v1/findings?${new URLSearchParams({ id: `${withFix!.id}:gone` })}` });
    expect(gone.body.rows).toEqual([]);
    const long = await call(findings.GET, "requester", { path: `/api/v1/findings?${new URLSearchParams({ id: "x".repeat(5001) })}` });
    expect(long.status).toBe(400);
    expect(long.body.error.fields).toHaveProperty("id");
  });

  it("GET /api/v1/clusters: every watched cluster with its agent and issuer state, and the Blue/Green pair", async () => {
    const res = await call(clusters.GET, "requester");
    expect(res.status).toBe(200);
    const names = (res.body.clusters as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["domino-blue", "domino-green"]));
    expect(res.body.clusters[0]).toMatchObject({ arn: expect.stringMatching(/^arn:aws:eks:/), addonInstalled: expect.any(Boolean), issuerRegistered: expect.any(Boolean) });
    expect(res.body.pairs.length).toBeGreaterThan(0);
    expect((await call(clusters.GET, "anonymous")).status).toBe(401);
  });
});
