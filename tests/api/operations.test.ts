// The operation contract: the pipeline writes a declared audit row in the same
// transaction as the handler's change (both or neither), no GET and no mutation
// escapes the audit declaration, and the generated OpenAPI document documents
// every operation's statuses from the same specs the routes run.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { PERMISSIONS, ROLES } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/core/errors";
import { defineOperation } from "@/lib/core/operation";
import { runPipeline } from "@/lib/core/pipeline";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { asUser, harness } from "../support/app-harness";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("../support/app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("../support/app-harness")).dbMock);

const { OPERATIONS } = await import("@/lib/api/operations");
const { openApiDocument } = await import("@/lib/api/openapi");

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  harness.prisma = t.prisma;
});
afterAll(async () => t?.close());

const caller = { id: "00000000-0000-4000-8000-000000000001", login: "op-admin", name: "Op Admin", role: "admin" as const, via: "session" as const, kind: "person" as const };
/** An operation that creates a user in the pipeline's transaction, then fails when told to. */
const addUser = defineOperation({
  name: "test-add-user",
  access: "tokens:service",
  input: z.object({ login: z.string().min(3), fail: z.boolean().default(false) }),
  async handler({ tx, input }) {
    const u = await tx!.user.create({ data: { login: input.login, name: input.login, role: "auditor" } });
    if (input.fail) throw new DomainError("conflict", "told to fail after writing");
    return { id: u.id };
  },
  audit: { event: "auth.token_created", subject: (i) => `user:${i.login}`, details: (_i, r) => ({ id: r.id }) },
});

describe("the pipeline's audit step", () => {
  it("writes the declared audit row with the change, in one transaction", async () => {
    const r = await runPipeline(addUser, { login: "op-one" }, { authenticate: async () => caller });
    expect(r.ok).toBe(true);
    expect(await t.prisma.user.count({ where: { login: "op-one" } })).toBe(1);
    const row = await t.prisma.auditEvent.findFirstOrThrow({ where: { subject: "user:op-one" } });
    expect(row).toMatchObject({ actor: "op-admin", event: "auth.token_created", details: { id: (r as { data: { id: string } }).data.id } });
  });

  it("a handler that fails after writing leaves neither the change nor an audit row", async () => {
    const r = await runPipeline(addUser, { login: "op-two", fail: true }, { authenticate: async () => caller });
    expect(r).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await t.prisma.user.count({ where: { login: "op-two" } })).toBe(0);
    expect(await t.prisma.auditEvent.count({ where: { subject: "user:op-two" } })).toBe(0);
  });

  it("refuses before the handler: 401 without a caller, 400 naming the field, 403 for a role without the permission; nothing written", async () => {
    const before = await t.prisma.auditEvent.count();
    expect(await runPipeline(addUser, { login: "op-3" }, { authenticate: async () => null })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await runPipeline(addUser, { login: "x" }, { authenticate: async () => caller })).toMatchObject({ ok: false, error: { code: "invalid", fields: { login: [expect.any(String)] } } });
    expect(await runPipeline(addUser, { login: "op-3" }, { authenticate: async () => ({ ...caller, role: "approver" }) })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await t.prisma.auditEvent.count()).toBe(before);
    expect(await t.prisma.user.count({ where: { login: "op-3" } })).toBe(0);
  });

  it("sign-out-everywhere (once hand-rolled) now runs the pipeline: sessions deleted and auth.signed_out written together", async () => {
    const { id } = await asUser("op-someone", "requester");
    await t.prisma.session.create({ data: { userId: id, tokenHash: "another-browser", expiresAt: new Date(Date.now() + 3600_000), lastSeenAt: new Date() } });
    const { signOutEverywhere } = await import("@/lib/actions/sign-out-everywhere");
    expect(await signOutEverywhere()).toEqual({ ok: true, data: { sessions: 2 } });
    expect(await t.prisma.session.count({ where: { userId: id } })).toBe(0);
    expect(await t.prisma.auditEvent.findFirst({ where: { actor: "op-someone", event: "auth.signed_out" } })).toMatchObject({ details: { everywhere: true, sessions: 2 } });
  });
});

describe("every operation", () => {
  it("declares how it is audited; the only non-GET operation that writes nothing is the form's live prechecks", () => {
    expect(() => defineOperation({ ...addUser, http: { method: "GET", path: "/api/v1/x", status: 200, summary: "x" } })).toThrow(/a GET may not write/);
    for (const op of OPERATIONS) {
      expect(op.audit, op.name).toBeDefined();
      if (op.http?.method === "GET") expect(op.audit, op.name).toBe("read-only");
    }
    const readOnlyMutations = OPERATIONS.filter((op) => op.audit === "read-only" && op.http?.method !== "GET" && !/^(list|get|read|verify)-/.test(op.name)).map((op) => op.name);
    expect(readOnlyMutations).toEqual(["run-prechecks"]);
    // Writing only outside the database is the audit checkpoint's case, and it says why.
    const outside = OPERATIONS.filter((op) => typeof op.audit === "object" && "outsideDatabase" in op.audit);
    expect(outside.map((op) => op.name)).toEqual(["take-audit-checkpoint"]);
    for (const op of outside) expect((op.audit as { outsideDatabase: string }).outsideDatabase.length).toBeGreaterThan(20);
    // Unaudited bookkeeping is the session heartbeat's case only.
    const bookkeeping = OPERATIONS.filter((op) => typeof op.audit === "object" && "bookkeeping" in op.audit);
    expect(bookkeeping.map((op) => op.name)).toEqual(["keep-session-alive"]);
  });

  it("has a unique name and, with an HTTP face, one documented path+method whose statuses match its spec (401 unless public, 403 when some role lacks the permission, 400 when it takes input)", () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId: string }>> };
    const names = OPERATIONS.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    for (const op of OPERATIONS) {
      if (!op.http) continue;
      const entry = doc.paths[op.http.path]?.[op.http.method.toLowerCase()];
      expect(entry, `${op.http.method} ${op.http.path}`).toBeDefined();
      const statuses = Object.keys(entry!.responses);
      expect(statuses, op.name).toContain(String(op.http.status));
      if (op.access !== "public") expect(statuses, op.name).toContain("401");
      const restricted = op.access !== "public" && op.access !== "signed-in" && (PERMISSIONS[op.access] as readonly string[]).length < ROLES.length;
      if (restricted) expect(statuses, `${op.name} (${op.access})`).toContain("403");
      const takesInput = !(op.input instanceof z.ZodObject) || Object.keys(op.input.shape).length > 0 || op.http.method === "POST";
      if (takesInput) expect(statuses, op.name).toContain("400");
    }
  });

  it("documents every input field of a GET or DELETE as a path or query parameter (GET /api/v1/audit listed none while its input was an intersection)", () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    for (const op of OPERATIONS) {
      if (!op.http || op.http.method === "POST") continue;
      expect(op.input, `${op.name}: a query's input must be one z.object for the document to list it`).toBeInstanceOf(z.ZodObject);
      const documented = (doc.paths[op.http.path]![op.http.method.toLowerCase()]!.parameters ?? []).map((p) => p.name).sort();
      expect(documented, op.name).toEqual(Object.keys((op.input as z.ZodObject).shape).sort());
    }
  });
});
