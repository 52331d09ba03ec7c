// POST /api/v1/audit/checkpoints through the real pipeline and database; only the
// session lookup and the process-wide client are stubbed (as in api.test.ts).
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/sessions";
import { recordAudit } from "@/lib/audit/record";
import { openTestDatabase, type TestDatabase } from "../support/db";

const state = vi.hoisted(() => ({ user: null as SessionUser | null, prisma: null as unknown }));
vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/authenticate", () => ({ currentUser: async () => state.user, authenticateBearer: async () => null }));
vi.mock("@/lib/db", () => ({ getPrisma: async () => state.prisma }));

const { POST } = await import("@/app/api/v1/audit/checkpoints/route");
const { GET: verify } = await import("@/app/api/v1/audit/verify/route");

const audrey: SessionUser = { id: "00000000-0000-4000-8000-000000000001", login: "audrey", name: "Audrey Klein", role: "auditor", via: "session", kind: "person" };
const alice: SessionUser = { id: "00000000-0000-4000-8000-000000000002", login: "alice", name: "Alice", role: "requester", via: "session", kind: "person" };
const ada: SessionUser = { id: "00000000-0000-4000-8000-000000000003", login: "ada", name: "Ada Admin", role: "admin", via: "session", kind: "person" };

let t: TestDatabase;
let dir: string;
let file: string;
const saved = process.env.ROLEGATE_AUDIT_CHECKPOINT_FILE;
beforeAll(async () => {
  t = await openTestDatabase();
  state.prisma = t.prisma;
  dir = mkdtempSync(path.join(tmpdir(), "rolegate-cp-api-"));
  file = path.join(dir, "checkpoints.jsonl");
  process.env.ROLEGATE_AUDIT_CHECKPOINT_FILE = file;
  for (let i = 0; i < 3; i++) await t.prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_in", details: { i } }));
}, 60_000);
afterAll(async () => {
  process.env.ROLEGATE_AUDIT_CHECKPOINT_FILE = saved;
  rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

const post = () => POST(new Request("http://localhost/api/v1/audit/checkpoints", { method: "POST" }));

describe("POST /api/v1/audit/checkpoints", () => {
  it("is refused to a requester and an auditor (403) and writes nothing", async () => {
    state.user = alice;
    expect((await post()).status).toBe(403);
    state.user = audrey;
    expect((await post()).status).toBe(403);
    expect(existsSync(file)).toBe(false);
  });

  it("lets an admin sign a checkpoint into the configured file (201), which GET verify then holds the trail against", async () => {
    state.user = ada;
    const res = await post();
    expect(res.status).toBe(201);
    const cp = await res.json();
    expect(cp).toMatchObject({ v: 1, count: 3, sig: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(readFileSync(file, "utf8").trim())).toEqual(cp);
    expect(await (await verify()).json()).toMatchObject({ valid: true, rows: 3, checkpoints: { checked: 1 } });
  });

  it("answers 409 over a trail cut short since, signing nothing; GET verify reports the checkpoint", async () => {
    state.user = ada;
    await t.db.raw.transaction(async (tx) => {
      await tx.exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await tx.exec(`DELETE FROM "AuditEvent" WHERE id = (SELECT max(id) FROM "AuditEvent")`);
      await tx.exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
    const res = await post();
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/no checkpoint was signed: .*cut from the end/);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
    expect(await (await verify()).json()).toMatchObject({ valid: false, badCheckpoint: { line: 1, reason: expect.stringMatching(/cut from the end/) } });
  });
});
