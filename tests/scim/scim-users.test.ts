// SCIM 2.0 provisioning as Okta and Entra ID push it: the request bodies below
// are shaped like the IdPs' own (their documented examples), sent through the
// real route handlers (app/scim/v2/Users) against the real database.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { authenticateApiToken, createPersonalToken } from "@/lib/auth/api-tokens";
import { completeOidcSignIn } from "@/lib/auth/oidc-sign-in";
import { resolveSession } from "@/lib/auth/sessions";
import { loadConfig } from "@/lib/config/load";
import { TEST_AUDIT_KEY } from "../support/test-audit-key";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { harness } from "../support/app-harness";


const users = await import("@/app/scim/v2/Users/route");
const user = await import("@/app/scim/v2/Users/[id]/route");

const SECRET = randomBytes(36).toString("base64url");
const BASE = "https://rolegate.example.com";
const ROLE_MAP = [{ group: "iam-team", role: "approver" as const }];
let t: TestDatabase;

function scim(method: string, path: string, body?: unknown, secret: string | null = SECRET): Request {
  const headers: Record<string, string> = { accept: "application/scim+json" };
  if (secret !== null) headers.authorization = `Bearer ${secret}`;
  if (body !== undefined) headers["content-type"] = "application/scim+json; charset=utf-8";
  return new Request(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
const byId = (id: string) => ({ params: Promise.resolve({ id }) });
async function json(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/scim+json");
  return res.json();
}

/** Signs the person in through SSO (as the IdP vouches for `sub`) and mints a personal token: both must stop on deprovisioning. */
async function signInWithToken(sub: string, email: string) {
  const outcome = await completeOidcSignIn(t.prisma, { roleMap: ROLE_MAP }, { sub, name: email, email, groups: ["iam-team"] }, "vitest", "aws");
  if (!outcome.ok) throw new Error(`sign-in refused: ${outcome.reason}`);
  const u = await t.prisma.user.findUniqueOrThrow({ where: { login: sub } });
  const token = await t.prisma.$transaction((tx) => createPersonalToken(tx, { id: u.id, login: u.login, name: u.name, role: u.role, via: "session", kind: "person" }, "laptop", 30));
  return { session: outcome.token, token: token.token, userId: u.id };
}

beforeAll(async () => {
  t = await openTestDatabase();
  harness.prisma = t.prisma;
});
afterAll(() => t?.close());
beforeEach(async () => {
  await t.reset();
  harness.config = loadConfig({ ROLEGATE_MODE: "aws", ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY, ROLEGATE_SCIM_TOKEN: SECRET, ROLEGATE_PUBLIC_URL: BASE });
});

// Okta's SCIM 2.0 requests (developer.okta.com "SCIM 2.0 protocol reference").
const oktaCreate = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName: "isabel.ito@example.com",
  name: { givenName: "Isabel", familyName: "Ito" },
  emails: [{ primary: true, value: "isabel.ito@example.com", type: "work" }],
  displayName: "Isabel Ito",
  locale: "en-US",
  externalId: "00ujl29u0le5T6Aj10h7",
  groups: [],
  password: "1mz050nq",
  active: true,
};

// Entra ID's provisioning service (learn.microsoft.com "Tutorial: Develop a sample SCIM endpoint", request examples).
const entraCreate = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.onmicrosoft.com",
  active: true,
  emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.onmicrosoft.com" }],
  meta: { resourceType: "User" },
  name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
  roles: [],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "IAM", manager: { value: "" } },
};

describe("SCIM /scim/v2/Users is behind its own secret", () => {
  it("answers 404 with a SCIM error while ROLEGATE_SCIM_TOKEN is unset", async () => {
    harness.config = loadConfig({ ROLEGATE_MODE: "aws", ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY });
    const res = await users.GET(scim("GET", "/scim/v2/Users"));
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404", detail: expect.stringContaining("ROLEGATE_SCIM_TOKEN") });
  });

  it("answers 401 without the secret, with a wrong one, and with an API token; nothing is created", async () => {
    for (const secret of [null, "wrong", SECRET.slice(0, -1), `rg_${SECRET}`]) {
      const res = await users.POST(scim("POST", "/scim/v2/Users", oktaCreate, secret));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await json(res)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
    }
    expect(await t.prisma.user.count()).toBe(0);
  });
});

describe("Okta pushes a person", () => {
  it("looks them up, creates, reads, replaces, and deactivating with PATCH {active:false} stops their session and token at once", async () => {
    const lookup = await json(await users.GET(scim("GET", `/scim/v2/Users?filter=${encodeURIComponent('userName eq "isabel.ito@example.com"')}&startIndex=1&count=100`)));
    expect(lookup).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, Resources: [] });

    const createdRes = await users.POST(scim("POST", "/scim/v2/Users", oktaCreate));
    expect(createdRes.status).toBe(201);
    const created = await json(createdRes);
    expect(createdRes.headers.get("location")).toBe(`${BASE}/scim/v2/Users/${created.id}`);
    expect(created).toMatchObject({ userName: "isabel.ito@example.com", externalId: "00ujl29u0le5T6Aj10h7", active: true, displayName: "Isabel Ito", emails: [{ value: "isabel.ito@example.com" }], meta: { resourceType: "User" } });
    expect(JSON.stringify(created)).not.toContain("1mz050nq");

    const found = await json(await users.GET(scim("GET", `/scim/v2/Users?filter=${encodeURIComponent('userName eq "Isabel.Ito@example.com"')}`)));
    expect(found).toMatchObject({ totalResults: 1, Resources: [{ id: created.id }] });
    expect(await json(await user.GET(scim("GET", `/scim/v2/Users/${created.id}`), byId(created.id)))).toMatchObject({ id: created.id, active: true });

    // First SSO sign-in: Okta's `sub` is the user id SCIM sent as externalId, so the provisioned account is claimed.
    const { session, token, userId } = await signInWithToken("00ujl29u0le5T6Aj10h7", "isabel.ito@example.com");
    expect(userId).toBe(created.id);
    expect(await resolveSession(t.prisma, session, "aws")).toMatchObject({ role: "approver" });
    expect(await authenticateApiToken(t.prisma, token, new Date(), "aws")).toMatchObject({ id: created.id });

    const replaced = await json(await user.PUT(scim("PUT", `/scim/v2/Users/${created.id}`, { ...oktaCreate, id: created.id, name: { givenName: "Isabel", familyName: "Ito-Berg" }, displayName: "Isabel Ito-Berg" }), byId(created.id)));
    expect(replaced).toMatchObject({ displayName: "Isabel Ito-Berg", active: true });

    const patched = await user.PATCH(
      scim("PATCH", `/scim/v2/Users/${created.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] }),
      byId(created.id),
    );
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ id: created.id, active: false });
    expect(await resolveSession(t.prisma, session, "aws")).toBeNull();
    expect(await authenticateApiToken(t.prisma, token, new Date(), "aws")).toBeNull();
    expect(await t.prisma.session.count({ where: { userId } })).toBe(0);
    expect(await t.prisma.apiToken.count({ where: { userId, revokedAt: null } })).toBe(0);

    // SSO cannot bring them back; only the IdP can (active: true).
    const again = await completeOidcSignIn(t.prisma, { roleMap: ROLE_MAP }, { sub: "00ujl29u0le5T6Aj10h7", name: "Isabel", email: "isabel.ito@example.com", groups: ["iam-team"] }, "vitest", "aws");
    expect(again).toEqual({ ok: false, reason: "deprovisioned" });
    const events = (await t.prisma.auditEvent.findMany({ where: { event: { startsWith: "scim." } }, orderBy: { id: "asc" } })).map((e) => [e.actor, e.event]);
    expect(events).toEqual([["scim", "scim.user_created"], ["scim", "scim.user_updated"], ["scim", "scim.user_updated"], ["scim", "scim.user_deactivated"]]);
    const deactivated = await t.prisma.auditEvent.findFirstOrThrow({ where: { event: "scim.user_deactivated" } });
    expect(deactivated.details).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1 });

    const reactivated = await user.PATCH(scim("PATCH", `/scim/v2/Users/${created.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: true } }] }), byId(created.id));
    expect(await json(reactivated)).toMatchObject({ active: true });
    expect(await completeOidcSignIn(t.prisma, { roleMap: ROLE_MAP }, { sub: "00ujl29u0le5T6Aj10h7", name: "Isabel", email: "isabel.ito@example.com", groups: ["iam-team"] }, "vitest", "aws")).toMatchObject({ ok: true });
    // The revoked token stays revoked.
    expect(await authenticateApiToken(t.prisma, token, new Date(), "aws")).toBeNull();
  });

  it("links a person who already signed in through SSO instead of creating a second account", async () => {
    const { userId } = await signInWithToken("00ujl29u0le5T6Aj10h7", "isabel.ito@example.com");
    const created = await json(await users.POST(scim("POST", "/scim/v2/Users", oktaCreate)));
    expect(created.id).toBe(userId);
    expect(await t.prisma.user.count()).toBe(1);
  });
});

describe("Entra ID pushes a person", () => {
  it("creates, PATCHes with path \"active\" and value \"False\", then DELETE makes them disappear and stops their access", async () => {
    const created = await json(await users.POST(scim("POST", "/scim/v2/Users", entraCreate)));
    expect(created).toMatchObject({ userName: entraCreate.userName, externalId: entraCreate.externalId, active: true });

    // Entra's sign-in: `email` is the UPN (= SCIM userName), its `sub` is app-specific, so the account is claimed by userName.
    const { session, token, userId } = await signInWithToken("entra-pairwise-sub-1", entraCreate.userName);
    expect(userId).toBe(created.id);

    const rename = await user.PATCH(
      scim("PATCH", `/scim/v2/Users/${created.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "Replace", path: "displayName", value: "Renamed Person" },
          { op: "Replace", path: 'emails[type eq "work"].value', value: "renamed@contoso.com" },
          { op: "Add", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "Security" },
        ],
      }),
      byId(created.id),
    );
    expect(await json(rename)).toMatchObject({ displayName: "Renamed Person", emails: [{ value: "renamed@contoso.com" }], active: true });
    expect(await resolveSession(t.prisma, session, "aws")).not.toBeNull();

    const off = await user.PATCH(
      scim("PATCH", `/scim/v2/Users/${created.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] }),
      byId(created.id),
    );
    expect(await json(off)).toMatchObject({ active: false });
    expect(await resolveSession(t.prisma, session, "aws")).toBeNull();
    expect(await authenticateApiToken(t.prisma, token, new Date(), "aws")).toBeNull();

    const del = await user.DELETE(scim("DELETE", `/scim/v2/Users/${created.id}`), byId(created.id));
    expect(del.status).toBe(204);
    const gone = await user.GET(scim("GET", `/scim/v2/Users/${created.id}`), byId(created.id));
    expect(gone.status).toBe(404);
    expect(await json(gone)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
    expect(await json(await users.GET(scim("GET", `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${entraCreate.userName}"`)}`)))).toMatchObject({ totalResults: 0 });
    // The row stays for the audit trail and the requests that name the person.
    expect(await t.prisma.user.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ scimDeletedAt: expect.any(Date), deprovisionedAt: expect.any(Date) });
    expect(await t.prisma.auditEvent.count({ where: { event: "scim.user_deleted", actor: "scim" } })).toBe(1);
  });

  it("DELETE of an active person ends their sessions and tokens in the same step", async () => {
    const created = await json(await users.POST(scim("POST", "/scim/v2/Users", entraCreate)));
    const { session, token } = await signInWithToken("entra-pairwise-sub-2", entraCreate.userName);
    expect((await user.DELETE(scim("DELETE", `/scim/v2/Users/${created.id}`), byId(created.id))).status).toBe(204);
    expect(await resolveSession(t.prisma, session, "aws")).toBeNull();
    expect(await authenticateApiToken(t.prisma, token, new Date(), "aws")).toBeNull();
  });
});

describe("SCIM errors", () => {
  it("a second create with the same userName is 409 uniqueness", async () => {
    expect((await users.POST(scim("POST", "/scim/v2/Users", oktaCreate))).status).toBe(201);
    const res = await users.POST(scim("POST", "/scim/v2/Users", { ...oktaCreate, externalId: "another", userName: "ISABEL.ITO@example.com" }));
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ status: "409", scimType: "uniqueness" });
  });

  it.each([
    ["a filter RoleGate cannot honour", 400, "invalidFilter", () => users.GET(scim("GET", `/scim/v2/Users?filter=${encodeURIComponent('emails co "example"')}`))],
    ["a body that is not JSON", 400, "invalidSyntax", () => users.POST(new Request(`${BASE}/scim/v2/Users`, { method: "POST", headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/scim+json" }, body: "{nope" }))],
    ["a user without userName", 400, "invalidValue", () => users.POST(scim("POST", "/scim/v2/Users", { ...oktaCreate, userName: undefined }))],
    ["active that is not a boolean", 400, "invalidValue", () => users.POST(scim("POST", "/scim/v2/Users", { ...oktaCreate, active: "maybe" }))],
  ] as const)("%s is a SCIM %i (%s) and changes nothing", async (_name, status, scimType, call) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(await json(res)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), scimType });
    expect(await t.prisma.user.count()).toBe(0);
  });

  it("a PATCH without the PatchOp schema or with an unknown op is refused and changes nothing", async () => {
    const created = await json(await users.POST(scim("POST", "/scim/v2/Users", oktaCreate)));
    for (const body of [{ Operations: [{ op: "replace", value: { active: false } }] }, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "move", path: "active", value: false }] }]) {
      const res = await user.PATCH(scim("PATCH", `/scim/v2/Users/${created.id}`, body), byId(created.id));
      expect(res.status).toBe(400);
    }
    expect(await json(await user.GET(scim("GET", `/scim/v2/Users/${created.id}`), byId(created.id)))).toMatchObject({ active: true });
  });

  it("demo, service and system accounts are not SCIM resources: invisible, and 404 by id", async () => {
    const svc = await t.prisma.user.create({ data: { login: "svc:ci", name: "Service: ci", role: "approver", source: "service", scimUserName: "svc-ci" } });
    expect(await json(await users.GET(scim("GET", "/scim/v2/Users")))).toMatchObject({ totalResults: 0 });
    const res = await user.PATCH(scim("PATCH", `/scim/v2/Users/${svc.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] }), byId(svc.id));
    expect(res.status).toBe(404);
    expect((await user.DELETE(scim("DELETE", "/scim/v2/Users/not-a-uuid"), byId("not-a-uuid"))).status).toBe(404);
  });
});
