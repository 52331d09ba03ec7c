// GET/POST /api/v1/approval-policies (admins) and GET/POST /api/v1/tokens,
// DELETE /api/v1/tokens/{id}, through the route handlers on the real database.
import { describe, expect, it } from "vitest";
import "../support/app-mocks";
import * as policies from "@/app/api/v1/approval-policies/route";
import * as requests from "@/app/api/v1/requests/route";
import * as token from "@/app/api/v1/tokens/[id]/route";
import * as tokens from "@/app/api/v1/tokens/route";
import { POLICY_LIST_MAX } from "@/lib/requests/approval-policies";
import { call, useApiWorld } from "./support";


const w = useApiWorld();

describe("/api/v1/approval-policies", () => {
  it("201 {id, name, version}; a new version of the same name deactivates the older one; patterns default to *", async () => {
    const first = await call(policies.POST, "admin", { body: { name: "api-team", requiredApprovals: 2, approverRole: "approver" } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "api-team", version: 1 });
    const second = await call(policies.POST, "admin", { body: { name: "api-team", requiredApprovals: 1, approverRole: "admin", rolePattern: "arn:aws:iam::111122223333:role/team-a/*", priority: 7 } });
    expect(second).toMatchObject({ status: 201, body: { name: "api-team", version: 2 } });
    const rows = await w.prisma.approvalPolicy.findMany({ where: { name: "api-team" }, orderBy: { version: "asc" } });
    expect(rows.map((r) => [r.version, r.active, r.requiredApprovals, r.clusterPattern, r.priority])).toEqual([
      [1, false, 2, "*", 0],
      [2, true, 1, "*", 7],
    ]);
    expect(await w.prisma.auditEvent.count({ where: { event: "approval_policy.created", actor: "api-admin" } })).toBe(2);
    const listed = await call(policies.GET, "admin");
    expect(listed.status).toBe(200);
    const entry = (listed.body.policies as { name: string; latest: { version: number }; versions: unknown[] }[]).find((p) => p.name === "api-team");
    expect(entry).toMatchObject({ latest: { version: 2, active: true }, versions: [{ version: 2 }, { version: 1, active: false }] });
  });

  it("accountPattern and regionPattern are optional extras of the body: stored, listed and audited; a bad one is a 400 naming it", async () => {
    const r = await call(policies.POST, "admin", { body: { name: "api-account", requiredApprovals: 2, approverRole: "approver", accountPattern: "111122223333", regionPattern: "eu-*" } });
    expect(r.status).toBe(201);
    expect(await w.prisma.approvalPolicy.findFirstOrThrow({ where: { name: "api-account" } })).toMatchObject({ accountPattern: "111122223333", regionPattern: "eu-*", clusterPattern: "*" });
    const audit = await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "approval_policy.created", subject: "approval_policy:api-account@1" } });
    expect(audit.details).toMatchObject({ accountPattern: "111122223333", regionPattern: "eu-*" });
    const listed = await call(policies.GET, "admin");
    expect((listed.body.policies as { name: string; latest: Record<string, unknown> }[]).find((p) => p.name === "api-account")?.latest).toMatchObject({ accountPattern: "111122223333", regionPattern: "eu-*" });
    const bad = await call(policies.POST, "admin", { body: { name: "api-bad", requiredApprovals: 1, approverRole: "approver", accountPattern: "prod", regionPattern: "EU" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["accountPattern", "regionPattern"]);
  });

  it("GET is capped at POLICY_LIST_MAX policies, with total and truncated", async () => {
    await w.prisma.approvalPolicy.createMany({ data: Array.from({ length: POLICY_LIST_MAX + 1 }, (_, i) => ({ name: `bulk-${String(i).padStart(4, "0")}`, version: 1 })) });
    const listed = await call(policies.GET, "admin");
    expect(listed.status).toBe(200);
    expect(listed.body.policies).toHaveLength(POLICY_LIST_MAX);
    expect(listed.body).toMatchObject({ truncated: true, total: await w.prisma.approvalPolicy.groupBy({ by: ["name"] }).then((n) => n.length) });
    expect(listed.body.total).toBeGreaterThan(POLICY_LIST_MAX);
    await w.prisma.approvalPolicy.deleteMany({ where: { name: { startsWith: "bulk-" } } });
  });

  it("409 when previousVersion is not the latest (someone else edited it); 400 names the bad fields; 401 anonymous; 403 for every other role; nothing written", async () => {
    const stale = await call(policies.POST, "admin", { body: { name: "api-team", previousVersion: 1, requiredApprovals: 1, approverRole: "approver" } });
    expect(stale.status).toBe(409);
    const bad = await call(policies.POST, "admin", { body: { name: "API Team", requiredApprovals: 9, approverRole: "requester", namespacePattern: "Team A" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["approverRole", "name", "namespacePattern", "requiredApprovals"]);
    const before = await w.prisma.approvalPolicy.count();
    expect((await call(policies.POST, "anonymous", { body: { name: "x", requiredApprovals: 1, approverRole: "approver" } })).status).toBe(401);
    for (const role of ["requester", "approver", "auditor"] as const) {
      expect((await call(policies.POST, role, { body: { name: "x", requiredApprovals: 1, approverRole: "approver" } })).status, role).toBe(403);
      expect((await call(policies.GET, role)).status, role).toBe(403);
    }
    expect(await w.prisma.approvalPolicy.count()).toBe(before);
  });
});

describe("/api/v1/tokens", () => {
  it("a personal token: 201 {id, token} shown once, listed without its secret, works as a bearer token, then revoked with DELETE", async () => {
    const created = await call(tokens.POST, "requester", { body: { kind: "personal", name: "laptop", expiresInDays: 7 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), token: expect.stringMatching(/^rg_/) });
    const secret = created.body.token as string;
    const listed = await call(tokens.GET, "requester");
    expect(listed.status).toBe(200);
    expect(listed.body.tokens).toEqual([expect.objectContaining({ id: created.body.id, name: "laptop", kind: "personal", state: "active", actsAs: { login: "api-requester", role: "requester" } })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect((await call(requests.GET, { bearer: secret }, { path: "/api/v1/requests" })).status).toBe(200);
    // A token may not mint tokens.
    expect((await call(tokens.POST, { bearer: secret }, { body: { kind: "personal", name: "again" } })).status).toBe(403);
    const revoked = await call(token.DELETE, "requester", { method: "DELETE", params: { id: created.body.id } });
    expect(revoked).toEqual({ status: 200, body: { id: created.body.id } });
    expect((await call(requests.GET, { bearer: secret }, { path: "/api/v1/requests" })).status).toBe(401);
    expect(await w.prisma.auditEvent.count({ where: { event: { in: ["auth.token_created", "auth.token_revoked"] }, subject: created.body.id } })).toBe(2);
  });

  it("service tokens: admins only ({kind: service, name, role} -> 201 {id, token}); 403 for others; 400 for a bad kind or name; 404 revoking someone else's token; 401 anonymous", async () => {
    const denied = await call(tokens.POST, "approver", { body: { kind: "service", name: "ci-bot", role: "approver" } });
    expect(denied.status).toBe(403);
    const svc = await call(tokens.POST, "admin", { body: { kind: "service", name: "ci-bot", role: "approver" } });
    expect(svc.status).toBe(201);
    expect(svc.body).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^rg_/) });
    expect(await w.prisma.user.findUnique({ where: { login: "svc:ci-bot" } })).toMatchObject({ role: "approver", source: "service" });
    expect((await call(tokens.GET, "admin")).body.tokens.map((t: { name: string }) => t.name)).toContain("ci-bot");
    expect((await call(tokens.GET, "approver")).body.tokens.map((t: { name: string }) => t.name)).not.toContain("ci-bot");
    const badKind = await call(tokens.POST, "admin", { body: { kind: "robot", name: "x" } });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.fields).toHaveProperty("kind");
    const badName = await call(tokens.POST, "admin", { body: { kind: "service", name: "CI Bot", role: "approver" } });
    expect(badName.body.error.fields).toHaveProperty("name");
    expect((await call(token.DELETE, "approver", { method: "DELETE", params: { id: svc.body.id } })).status).toBe(404);
    expect((await call(token.DELETE, "approver", { method: "DELETE", params: { id: "not-a-uuid" } })).status).toBe(400);
    expect((await call(token.DELETE, "anonymous", { method: "DELETE", params: { id: svc.body.id } })).status).toBe(401);
    expect((await call(tokens.GET, "anonymous")).status).toBe(401);
    expect((await call(tokens.POST, "anonymous", { body: { kind: "personal", name: "x" } })).status).toBe(401);
  });
});
