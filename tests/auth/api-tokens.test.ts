// API token lifecycle (create, use, expire, revoke) and role-escalation attempts,
// through the real actions, route handlers and database (see tests/support/app-harness.ts).
import { describe, expect, it } from "vitest";
import "../support/app-mocks";
import { hashToken } from "@/lib/auth/session-token";
import { loadConfig } from "@/lib/config/load";
import { TokenUses } from "@/lib/auth/token-uses";
import { flushTokenUses } from "@/lib/workers/auth-upkeep";
import { asBearer, asUser, harness } from "../support/app-harness";
import { useWorld } from "../support/world";
import { databaseChecksum } from "../support/db";


const { createPersonalTokenAction } = await import("@/lib/actions/create-personal-token");
const { createServiceTokenAction } = await import("@/lib/actions/create-service-token");
const { revokeTokenAction } = await import("@/lib/actions/revoke-token");
const { createRequestAction } = await import("@/lib/actions/create-request");
const { signInDemoUser } = await import("@/lib/actions/sign-in-demo-user");
const { GET: listRequests } = await import("@/app/api/v1/requests/route");
const { POST: approve } = await import("@/app/api/v1/requests/[id]/approve/route");

const list = async () => (await listRequests(new Request("http://localhost/api/v1/requests"))).status;
async function personalToken(login: string, role: "requester" | "approver" | "auditor" | "admin", days = 30) {
  await asUser(login, role);
  const r = await createPersonalTokenAction({ name: `${login}-ci`, expiresInDays: days });
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

// The app harness points at this world: sessions, tokens and the request routes run on its database and sandbox.
const w = useWorld({ sandbox: true, app: true, reset: "once" });

describe("API token lifecycle", () => {
  it("is shown once, stored hashed, audited, works as a Bearer token and records its last use", async () => {
    const created = await personalToken("tina", "requester");
    expect(created.token).toMatch(/^rg_[\w-]{40,}$/);
    const row = await w.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(await w.prisma.auditEvent.count({ where: { event: "auth.token_created", subject: created.id } })).toBe(1);
    asBearer(created.token);
    expect(await list()).toBe(200);
    // The GET wrote nothing; the background upkeep records the use.
    expect((await w.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toBeNull();
    expect(await flushTokenUses(w.prisma)).toBeGreaterThanOrEqual(1);
    expect((await w.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();
  });

  it("records uses in memory and flushes one UPDATE per token, never an older use over a newer one", async () => {
    const created = await personalToken("uma", "requester");
    const uses = new TokenUses();
    const at = new Date();
    const token = await w.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    for (let i = 0; i < 5; i++) uses.note(token.id, new Date(at.getTime() - i * 1000));
    expect(uses.take()).toEqual([[token.id, at]]);
    uses.note(token.id, at);
    expect(await flushTokenUses(w.prisma, uses)).toBe(1);
    uses.note(token.id, new Date(at.getTime() - 60_000));
    expect(await flushTokenUses(w.prisma, uses)).toBe(0);
    expect((await w.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(at);
  });

  it("stops working once expired", async () => {
    const created = await personalToken("eve", "requester");
    await w.prisma.apiToken.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    asBearer(created.token);
    expect(await list()).toBe(401);
  });

  it("stops working once revoked (audited); only its owner or an admin may revoke it", async () => {
    const created = await personalToken("rob", "requester");
    await asUser("mallory", "approver");
    expect(await revokeTokenAction({ id: created.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    asBearer(created.token);
    expect(await list()).toBe(200);
    await asUser("rob", "requester");
    expect((await revokeTokenAction({ id: created.id })).ok).toBe(true);
    asBearer(created.token);
    expect(await list()).toBe(401);
    expect(await w.prisma.auditEvent.count({ where: { event: "auth.token_revoked", subject: created.id } })).toBe(1);
  });

  it("cannot mint more tokens with a token", async () => {
    const created = await personalToken("tom", "approver");
    asBearer(created.token);
    expect(await createPersonalTokenAction({ name: "more", expiresInDays: 365 })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("admins create service tokens acting with the chosen role", async () => {
    await asUser("root-admin", "admin");
    const r = await createServiceTokenAction({ name: "ci-reader", role: "auditor", expiresInDays: 7 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    asBearer(r.data.token);
    expect(await list()).toBe(200);
    expect((await w.prisma.user.findUniqueOrThrow({ where: { login: "svc:ci-reader" } })).role).toBe("auditor");
  });
});

describe("role escalation attempts", () => {
  it("a role cannot be chosen for a personal token, nor a service token made by a non-admin, and nothing changes", async () => {
    await asUser("sneaky", "requester");
    const before = await databaseChecksum(w.prisma);
    expect(await createPersonalTokenAction({ name: "x", expiresInDays: 1, role: "admin" })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await createServiceTokenAction({ name: "mine", role: "admin", expiresInDays: 1 })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await databaseChecksum(w.prisma)).toBe(before);
    expect((await w.prisma.user.findUniqueOrThrow({ where: { login: "sneaky" } })).role).toBe("requester");
  });

  it("an approver cannot approve their own request through the API with a token (403)", async () => {
    const token = (await personalToken("ivan", "approver")).token;
    await asUser("ivan", "approver");
    const created = await createRequestAction({
      kind: "create", cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", serviceAccount: "svc-self-approve",
      roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped", justification: "I want to approve this myself",
    });
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const id = (created as { data: { id: string } }).data.id;
    asBearer(token);
    const res = await approve(new Request(`http://localhost/api/v1/requests/${id}/approve`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: "{}" }), { params: Promise.resolve({ id }) });
    expect(res.status).toBe(403);
  });

  it("a person who signs in often is never locked out: a successful demo sign-in clears that login's count", async () => {
    await w.prisma.user.create({ data: { login: "alice", name: "Alice", role: "requester", source: "sandbox" } });
    for (let i = 0; i < 25; i++) expect(await signInDemoUser({ login: "alice" })).toMatchObject({ ok: true });
    expect(await w.prisma.rateLimit.count({ where: { key: "login:alice" } })).toBe(0);
    // Guesses still count: 20 unknown logins of one name, then refused.
    for (let i = 0; i < 20; i++) expect(await signInDemoUser({ login: "nobody" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await signInDemoUser({ login: "nobody" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  it("outside sandbox mode, sandbox-<login> tokens and the demo sign-in are refused", async () => {
    const sandboxConfig = harness.config;
    harness.config = loadConfig({ ROLEGATE_AUDIT_KEY: "k".repeat(32), ROLEGATE_MODE: "aws", ROLEGATE_TARGETS: "111122223333/us-east-1/*" });
    try {
      await w.prisma.user.create({ data: { login: "root", name: "Root", role: "admin", source: "sandbox" } });
      asBearer("sandbox-root");
      expect(await list()).toBe(401);
      expect(await signInDemoUser({ login: "root" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await w.prisma.session.count({ where: { user: { login: "root" } } })).toBe(0);
      expect(await w.prisma.auditEvent.count({ where: { event: "auth.sign_in_refused", actor: "root" } })).toBe(1);
    } finally {
      harness.config = sandboxConfig;
    }
  });
});
