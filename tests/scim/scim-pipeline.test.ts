// SCIM runs through the one pipeline (lib/core/pipeline.ts): its own authenticate
// step (the SCIM secret is the "scim" principal, which calls SCIM operations and
// nothing else, and no account calls them), zod validation of the SCIM bodies,
// and the audit rows (the change's, then its follow-ups) in the change's
// transaction. The SCIM wire stays SCIM's: 401 before the body is even read.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import "../support/app-mocks";
import { DomainError } from "@/lib/core/errors";
import { defineOperation, type ScimPrincipal } from "@/lib/core/operation";
import { runPipeline } from "@/lib/core/pipeline";
import { loadConfig } from "@/lib/config/load";
import { TEST_AUDIT_KEY } from "../support/test-audit-key";
import { databaseChecksum, type TestDatabase } from "../support/db";
import { harness, openHarnessDatabase } from "../support/app-harness";

const users = await import("@/app/scim/v2/Users/route");
const { scimCreateUserOp } = await import("@/lib/scim/operations");
const { createServiceTokenOp } = await import("@/lib/api/operations/auth");

const SECRET = randomBytes(36).toString("base64url");
const BASE = "https://rolegate.example.com";
const SCIM: ScimPrincipal = { kind: "scim", login: "scim" };
const admin = { id: "00000000-0000-4000-8000-000000000001", login: "scim-admin", name: "Admin", role: "admin" as const, via: "session" as const, kind: "person" as const };
const person = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "nadia.nul@example.com", emails: [{ primary: true, value: "nadia.nul@example.com" }], active: true };
let t: TestDatabase;

const config = loadConfig({ ROLEGATE_MODE: "aws", ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY, ROLEGATE_SCIM_TOKEN: SECRET, ROLEGATE_PUBLIC_URL: BASE });
beforeAll(async () => void (t = await openHarnessDatabase()));
afterAll(() => t?.close());
beforeEach(async () => {
  await t.reset();
  harness.config = config;
});

const post = (body: string, secret?: string) =>
  users.POST(new Request(`${BASE}/scim/v2/Users`, { method: "POST", headers: { "content-type": "application/scim+json", ...(secret ? { authorization: `Bearer ${secret}` } : {}) }, body }));

describe("the SCIM client is a principal of its own", () => {
  it("an account (even an admin) cannot run a SCIM operation, and the SCIM client cannot run anything else; nothing is written", async () => {
    const before = await databaseChecksum(t.prisma);
    expect(await runPipeline(scimCreateUserOp, person, { authenticate: async () => admin })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await runPipeline(createServiceTokenOp, { name: "scim-made", role: "admin", expiresInDays: 1 }, { authenticate: async () => SCIM })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await databaseChecksum(t.prisma)).toBe(before);
    // The same operation with the SCIM principal: created, audited by actor "scim".
    expect(await runPipeline(scimCreateUserOp, person, { authenticate: async () => SCIM })).toMatchObject({ ok: true });
    expect(await t.prisma.auditEvent.findFirstOrThrow({ where: { event: "scim.user_created" } })).toMatchObject({ actor: "scim", details: { userName: person.userName } });
  });

  it("the change, its row and its follow-up rows commit together: a failing follow-up leaves neither the change nor a row", async () => {
    const addPerson = (failFollowUp: boolean) =>
      defineOperation({
        name: "test-scim-add",
        access: "scim",
        input: z.object({ login: z.string() }),
        handler: async ({ tx, input }) => tx!.user.create({ data: { login: input.login, name: input.login, role: "requester", source: "scim" } }),
        audit: {
          event: "scim.user_created",
          subject: (i) => i.login,
          followUps: (i) => {
            if (failFollowUp) throw new DomainError("conflict", "the follow-up row cannot be written");
            return [{ event: "scim.user_deactivated" as const, subject: i.login, details: {} }];
          },
        },
      });
    expect(await runPipeline(addPerson(true), { login: "scim:rolled-back" }, { authenticate: async () => SCIM })).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await t.prisma.user.count()).toBe(0);
    expect(await t.prisma.auditEvent.count()).toBe(0);
    expect(await runPipeline(addPerson(false), { login: "scim:kept" }, { authenticate: async () => SCIM })).toMatchObject({ ok: true });
    expect((await t.prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((e) => [e.actor, e.event, e.subject])).toEqual([
      ["scim", "scim.user_created", "scim:kept"],
      ["scim", "scim.user_deactivated", "scim:kept"],
    ]);
  });
});

describe("the SCIM wire through the pipeline", () => {
  it("answers 401 before reading the body (not JSON, or over the cap); with the secret, 400 invalidSyntax and 413; nothing is created", async () => {
    const huge = JSON.stringify({ ...person, displayName: "x".repeat(300 * 1024) });
    for (const body of ["{nope", huge]) {
      const res = await post(body);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const notJson = await post("{nope", SECRET);
    expect([notJson.status, await notJson.json()]).toEqual([400, expect.objectContaining({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidSyntax" })]);
    const tooBig = await post(huge, SECRET);
    expect(tooBig.headers.get("content-type")).toBe("application/scim+json");
    expect([tooBig.status, await tooBig.json()]).toEqual([413, expect.objectContaining({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "413" })]);
    expect(await t.prisma.user.count()).toBe(0);
  });

  it("a body the schema refuses is a SCIM 400 invalidValue naming the attribute (a NUL character included)", async () => {
    for (const [body, attribute] of [[{ ...person, userName: "nadia\u0000@example.com" }, "userName"], [{ ...person, emails: "nadia@example.com" }, "emails"]] as const) {
      const res = await post(JSON.stringify(body), SECRET);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status: "400", scimType: "invalidValue", detail: expect.stringContaining(attribute) });
    }
    expect(await t.prisma.user.count()).toBe(0);
  });
});
