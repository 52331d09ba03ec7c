// Sandbox mode is never a silent default, and what it made does not outlive it
// (issue 10, hole 3): users, sessions and tokens created in sandbox mode are
// refused once RoleGate runs in aws mode; the demo sign-in writes no audit row
// under a name the caller chose. Real database, real authenticate().
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { authenticateApiToken, createPersonalToken, createServiceToken } from "@/lib/auth/api-tokens";
import { completeOidcSignIn } from "@/lib/auth/oidc-sign-in";
import { createSession, resolveSession, type SessionUser } from "@/lib/auth/sessions";
import { loadConfig } from "@/lib/config/load";
import { TEST_AUDIT_KEY } from "../support/test-audit-key";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { asBearer, harness } from "../support/app-harness";


const { currentUser } = await import("@/lib/auth/authenticate");
const { signInDemoUser } = await import("@/lib/actions/sign-in-demo-user");
const { createPersonalTokenAction } = await import("@/lib/actions/create-personal-token");

const SANDBOX = loadConfig({ ROLEGATE_MODE: "sandbox" });
const AWS = loadConfig({ ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY, DATABASE_URL: "postgresql://rolegate@db/rolegate" });
let t: TestDatabase;

const asSessionUser = (u: { id: string; login: string; name: string; role: SessionUser["role"] }): SessionUser => ({ ...u, via: "session", kind: "person" });

beforeAll(async () => {
  t = await openTestDatabase();
  harness.prisma = t.prisma;
});
afterAll(() => t?.close());
beforeEach(() => t.reset());

describe("what sandbox mode made stops outside it", () => {
  it("an SSO person's sandbox-born session and personal token are refused in aws mode; aws-born ones work", async () => {
    harness.config = SANDBOX;
    const u = await t.prisma.user.create({ data: { login: "okta|pat", name: "Pat", role: "admin", source: "oidc", mode: "aws" } });
    const sandboxSession = await createSession(t.prisma, u.id, "sandbox");
    const sandboxToken = await t.prisma.$transaction((tx) => createPersonalToken(tx, asSessionUser(u), "made-in-sandbox", 30));
    expect(await resolveSession(t.prisma, sandboxSession.token, "sandbox")).not.toBeNull();

    harness.config = AWS;
    expect(await resolveSession(t.prisma, sandboxSession.token, "aws")).toBeNull();
    expect(await authenticateApiToken(t.prisma, sandboxToken.token, new Date(), "aws")).toBeNull();
    asBearer(sandboxToken.token);
    expect(await currentUser()).toBeNull();

    const awsSession = await createSession(t.prisma, u.id, "aws");
    const awsToken = await t.prisma.$transaction((tx) => createPersonalToken(tx, asSessionUser(u), "made-in-aws", 30));
    expect(await resolveSession(t.prisma, awsSession.token, "aws")).toMatchObject({ login: "okta|pat" });
    asBearer(awsToken.token);
    expect(await currentUser()).toMatchObject({ login: "okta|pat", via: "token" });
  });

  it("a user created in sandbox mode is refused in aws mode, even with an aws-born credential, and cannot sign in through SSO", async () => {
    harness.config = SANDBOX;
    const admin = await t.prisma.user.create({ data: { login: "root", name: "Root", role: "admin", source: "sandbox", mode: "sandbox" } });
    const svc = await t.prisma.$transaction((tx) => createServiceToken(tx, asSessionUser(admin), "deploy-bot", "admin", 30));
    if (svc === "name_taken") throw new Error("name taken");
    const sso = await t.prisma.user.create({ data: { login: "okta|sam", name: "Sam", role: "admin", source: "oidc", mode: "sandbox" } });

    harness.config = AWS;
    expect(await authenticateApiToken(t.prisma, svc.token, new Date(), "aws")).toBeNull();
    const forged = await createSession(t.prisma, sso.id, "aws");
    expect(await resolveSession(t.prisma, forged.token, "aws")).toBeNull();
    const outcome = await completeOidcSignIn(t.prisma, { roleMap: [{ group: "admins", role: "admin" }] }, { sub: "okta|sam", name: "Sam", groups: ["admins"] }, "vitest", "aws");
    expect(outcome).toEqual({ ok: false, reason: "sandbox-account" });
  });

  it("sessions and tokens from before modes were recorded count as sandbox-born outside sandbox mode", async () => {
    const u = await t.prisma.user.create({ data: { login: "okta|legacy", name: "Legacy", role: "approver", source: "oidc" } });
    const s = await createSession(t.prisma, u.id, "aws");
    await t.prisma.session.updateMany({ where: { userId: u.id }, data: { mode: null } });
    expect(await resolveSession(t.prisma, s.token, "aws")).toBeNull();
    expect(await resolveSession(t.prisma, s.token, "sandbox")).not.toBeNull();
  });
});

describe("the demo sign-in outside sandbox mode", () => {
  it("writes no audit row under a name the caller made up; a known demo login is audited", async () => {
    harness.config = AWS;
    harness.headers = new Headers({ "user-agent": "vitest" });
    for (const login of ["ceo-of-the-company", "Robert'); DROP TABLE", "alice "]) {
      expect(await signInDemoUser({ login })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect(await t.prisma.auditEvent.count({ where: { actor: { in: ["ceo-of-the-company", "Robert'); DROP TABLE"] } } })).toBe(0);
    expect(await signInDemoUser({ login: "root" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const rows = await t.prisma.auditEvent.findMany({ where: { event: "auth.sign_in_refused" } });
    expect(rows.map((r) => r.actor).sort()).toEqual(["alice", "root"]);
  });
});

describe("token lifetime cap", () => {
  it("refuses a personal token longer than ROLEGATE_TOKEN_MAX_DAYS with a message naming the setting, and creates nothing", async () => {
    harness.config = loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_TOKEN_MAX_DAYS: "30" });
    const u = await t.prisma.user.create({ data: { login: "okta|cap", name: "Cap", role: "requester", source: "oidc", mode: "sandbox" } });
    const s = await createSession(t.prisma, u.id, "sandbox");
    harness.cookies.clear();
    harness.cookies.set("rolegate_session", s.token);
    const r = await createPersonalTokenAction({ name: "too-long", expiresInDays: 31 });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid", message: expect.stringMatching(/at most 30 days \(ROLEGATE_TOKEN_MAX_DAYS\)/), fields: { expiresInDays: ["must be at most 30"] } } });
    expect(await t.prisma.apiToken.count()).toBe(0);
    expect(await createPersonalTokenAction({ name: "ok", expiresInDays: 30 })).toMatchObject({ ok: true });
    harness.config = SANDBOX;
    expect(await createPersonalTokenAction({ name: "default-cap", expiresInDays: 91 })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await createPersonalTokenAction({ name: "ninety", expiresInDays: 90 })).toMatchObject({ ok: true });
  });
});
