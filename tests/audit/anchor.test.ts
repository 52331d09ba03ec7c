// The trail anchored outside the database: rows keyed with the audit key, and
// signed checkpoints of the head. Someone who can rewrite the table but does not
// hold the key (a database-only attacker) cannot make a rewritten, re-hashed or
// truncated trail verify.
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GENESIS_HASH, rowContent, rowHash } from "@/lib/audit/chain";
import { parseCheckpoints, signCheckpoint, type AuditCheckpoint } from "@/lib/audit/checkpoint";
import { AuditChainBrokenError, scheduleAuditCheckpoint, takeAuditCheckpoint } from "@/lib/workers/audit-checkpoints";
import { deriveAuditKey, getAuditKey } from "@/lib/audit/key";
import { recordAudit } from "@/lib/audit/record";
import { newestKeyedRowVerifies, verifyAuditChain } from "@/lib/audit/verify";
import { exportRows } from "@/lib/audit/export";
import { verifyConfiguredAuditTrail } from "@/lib/audit/verify-configured";
import { postWebhook } from "@/lib/jobs/webhook";
import { JobRunner } from "@/lib/jobs/runner";
import { openTestDatabase, type TestDatabase } from "../support/db";

let t: TestDatabase;
let dir: string;
let file: string;
const posted: Record<string, unknown>[] = [];
let webhook: http.Server;
let webhookUrl: string;

beforeAll(async () => {
  t = await openTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), "rolegate-anchor-"));
  // A real webhook receiver: what the checkpoint job posts arrives here.
  webhook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      posted.push(JSON.parse(body));
      res.end("ok");
    });
  });
  await new Promise<void>((r) => webhook.listen(0, "127.0.0.1", r));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/hook`;
}, 60_000);
afterAll(async () => {
  await t?.close();
  webhook?.close();
  rmSync(dir, { recursive: true, force: true });
});

let ids: string[] = [];
beforeEach(async () => {
  await t.reset();
  posted.length = 0;
  file = path.join(dir, `checkpoints-${Math.random().toString(36).slice(2)}.jsonl`);
  for (let i = 0; i < 6; i++) {
    await t.prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_in", subject: `row-${i}`, details: { i } }));
  }
  ids = (await t.prisma.auditEvent.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((r) => r.id.toString());
});

const key = () => getAuditKey();
const notify = (body: { text: string } & Record<string, unknown>) => postWebhook(body, webhookUrl);
const checkpoint = () => takeAuditCheckpoint({ prisma: t.prisma, key: key(), file, notify });
const checkpointsInFile = () => parseCheckpoints(readFileSync(file, "utf8"), file);

async function asOwnerWithoutTriggers(sql: string): Promise<void> {
  await t.db.raw.transaction(async (tx) => {
    await tx.exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await tx.exec(sql);
    await tx.exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  });
}

/** What an attacker without the key does after editing: recompute every hash from `fromId` on with `hash`, relinking the chain. */
async function rehashFrom(fromId: string, hash: (content: string) => string, scheme?: string): Promise<void> {
  const all = await t.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
  let prev = GENESIS_HASH;
  const updates: string[] = [];
  for (const row of all) {
    if (row.id >= BigInt(fromId)) {
      const next = { ...row, prevHash: prev, ...(scheme ? { hashScheme: scheme } : {}) };
      const h = hash(rowContent(next));
      updates.push(`UPDATE "AuditEvent" SET "prevHash" = '${prev}', "hash" = '${h}'${scheme ? `, "hashScheme" = '${scheme}'` : ""} WHERE id = ${row.id}`);
      prev = h;
    } else prev = row.hash;
  }
  await asOwnerWithoutTriggers(updates.join(";\n"));
}
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("keyed chain", () => {
  it("writes every new row with HMAC-SHA256 under the audit key, not plain SHA-256", async () => {
    const rows = await t.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    for (const r of rows) {
      expect(r.hashScheme).toBe("hmac-sha256");
      expect(r.hash).toBe(createHmac("sha256", key().chain).update(rowContent(r), "utf8").digest("hex"));
      expect(r.hash).not.toBe(sha256(rowContent(r)));
    }
    expect(await verifyAuditChain(t.prisma)).toEqual({ valid: true, rows: 6, unchained: 0, head: { id: ids[5], hash: rows[5]!.hash } });
    // Exports say how each row was hashed, so a copy can be checked with the key.
    for await (const r of exportRows(t.prisma, {})) expect(r.hashScheme).toBe("hmac-sha256");
  });

  it("an edited row re-hashed with plain SHA-256 (whole chain relinked) is caught at that row", async () => {
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "actor" = 'mallory' WHERE id = ${ids[2]}`);
    await rehashFrom(ids[2]!, sha256);
    const result = await verifyAuditChain(t.prisma);
    expect(result).toMatchObject({ valid: false, rows: 3, firstBadRow: { id: ids[2], reason: expect.stringMatching(/edited, or re-hashed without the audit key/) } });
  });

  it("the same, with the rows relabelled as legacy plain SHA-256 rows, is caught: no legacy row after a keyed one", async () => {
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "actor" = 'mallory' WHERE id = ${ids[3]}`);
    await rehashFrom(ids[3]!, sha256, "sha256");
    expect((await verifyAuditChain(t.prisma)).firstBadRow).toEqual({ id: ids[3], reason: expect.stringMatching(/plain SHA-256 row after rows keyed/) });
  });

  it("a chain re-hashed with another key is caught at the first re-hashed row", async () => {
    const other = deriveAuditKey("another-key-another-key-another-key!!", "test");
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "details" = '{"i": 99}' WHERE id = ${ids[1]}`);
    await rehashFrom(ids[1]!, (c) => createHmac("sha256", other.chain).update(c, "utf8").digest("hex"));
    expect((await verifyAuditChain(t.prisma)).firstBadRow?.id).toBe(ids[1]);
    // ... which verifies only for the holder of that other key.
    expect((await verifyAuditChain(t.prisma, { key: other })).firstBadRow?.id).toBe(ids[0]);
  });

  it("start-up can tell that the trail was written with another key", async () => {
    expect(await newestKeyedRowVerifies(t.prisma, key())).toBe(true);
    expect(await newestKeyedRowVerifies(t.prisma, deriveAuditKey("a-different-key-a-different-key-!!", "test"))).toBe(false);
    await t.reset();
    expect(await newestKeyedRowVerifies(t.prisma, key())).toBeNull();
  });

  it("rows from before the key (plain SHA-256) still verify, followed by keyed rows", async () => {
    await t.reset();
    // Two rows as the previous version wrote them (hashScheme defaults to "sha256").
    let prev = GENESIS_HASH;
    for (const [id, actor] of [[1n, "alice"], [2n, "bob"]] as const) {
      const row = { id, at: new Date("2026-01-01T00:00:00.000Z"), actor, event: "auth.signed_in", subject: null, details: {}, prevHash: prev, hashScheme: "sha256" };
      const hash = rowHash(row);
      expect(hash).toBe(sha256(rowContent(row)));
      await t.db.raw.query(
        `INSERT INTO "AuditEvent" (id, at, actor, event, "prevHash", hash) VALUES ($1, $2, $3, 'auth.signed_in', $4, $5)`,
        [id.toString(), row.at.toISOString(), actor, prev, hash],
      );
      prev = hash;
    }
    await t.db.raw.exec(`SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'id'), 2)`);
    await t.prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_in" }));
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ valid: true, rows: 3, legacy: 2 });
  });
});

describe("signed checkpoints", () => {
  it("are appended to the file as JSON lines and posted to the webhook", async () => {
    const first = await checkpoint();
    await t.prisma.$transaction((tx) => recordAudit(tx, { actor: "root", event: "auth.signed_out" }));
    const second = await checkpoint();
    const lines = checkpointsInFile();
    expect(lines.map((l) => l.checkpoint)).toEqual([first, second]);
    expect(first).toMatchObject({ v: 1, lastId: ids[5], count: 6, keyId: key().id, sig: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(second).toMatchObject({ count: 7 });
    expect(posted).toHaveLength(2);
    expect(posted[1]).toMatchObject({ text: expect.stringContaining("audit.checkpoint: 7 rows"), rolegate: { event: "audit.checkpoint", checkpoint: second } });
    expect(await verifyAuditChain(t.prisma, { checkpoints: lines })).toMatchObject({ valid: true, rows: 7, checkpoints: { checked: 2, latest: { line: 2, count: 7 } } });
  });

  it("a truncated tail is detected: the checkpoint's head row is missing (the chain alone still verifies)", async () => {
    await checkpoint();
    await asOwnerWithoutTriggers(`DELETE FROM "AuditEvent" WHERE id >= ${ids[4]}`);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ valid: true, rows: 4 }); // what today's verify sees
    const result = await verifyAuditChain(t.prisma, { checkpoints: checkpointsInFile() });
    expect(result).toMatchObject({
      valid: false,
      rows: 4,
      badCheckpoint: { line: 1, lastId: ids[5], reason: expect.stringMatching(/is missing: the trail now ends at row \d+ with 4 rows, so rows were cut from the end/) },
    });
  });

  it("a whole trail rebuilt by someone without the key (relabelled legacy, re-hashed) verifies alone but not against a checkpoint", async () => {
    await checkpoint();
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "actor" = 'mallory' WHERE id = ${ids[2]}`);
    await rehashFrom(ids[0]!, sha256, "sha256");
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ valid: true, legacy: 6 });
    const result = await verifyAuditChain(t.prisma, { checkpoints: checkpointsInFile() });
    expect(result.badCheckpoint?.reason).toMatch(new RegExp(`row ${ids[5]}, the head at the checkpoint of .*, now has hash [0-9a-f]{64}, not [0-9a-f]{64}: the chain was rewritten`));
  });

  it("a forged checkpoint (edited, or signed with another key) is detected", async () => {
    await checkpoint();
    const real = checkpointsInFile()[0]!.checkpoint;
    // Cut two rows, then claim the new head in the checkpoint.
    await asOwnerWithoutTriggers(`DELETE FROM "AuditEvent" WHERE id >= ${ids[4]}`);
    const newHead = (await t.prisma.auditEvent.findUniqueOrThrow({ where: { id: BigInt(ids[3]!) } })).hash;
    const edited = { ...real, lastId: ids[3]!, hash: newHead, count: 4 };
    const verdict = (cp: AuditCheckpoint) => verifyAuditChain(t.prisma, { checkpoints: [{ line: 1, checkpoint: cp }] });
    expect(await verdict(edited)).toMatchObject({ valid: false, rows: 0, badCheckpoint: { line: 1, reason: expect.stringMatching(/signature does not match its content: the checkpoint was forged/) } });
    const other = deriveAuditKey("mallory-key-mallory-key-mallory-key!", "test");
    const otherSigned = signCheckpoint({ lastId: ids[3]!, hash: newHead, count: 4, at: new Date().toISOString() }, other);
    expect((await verdict(otherSigned)).badCheckpoint?.reason).toMatch(/signed with another key, or forged/);
    const sameIdForged = { ...otherSigned, keyId: key().id };
    expect((await verdict(sameIdForged)).badCheckpoint?.reason).toMatch(/signature does not match/);
    // The honest signature over the same head verifies: the check is the signature, not the head.
    expect((await verdict(signCheckpoint({ lastId: ids[3]!, hash: newHead, count: 4, at: real.at }, key()))).valid).toBe(true);
  });

  it("rows removed before the head of a checkpoint change its count (pre-chain rows cut from the start)", async () => {
    await t.reset();
    await t.db.raw.exec(`INSERT INTO "AuditEvent" (actor, event, "prevHash", hash) VALUES ('alice', 'auth.signed_in', '', ''), ('bob', 'auth.signed_in', '', '')`);
    await t.prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_in" }));
    const cp = await checkpoint();
    expect(cp.count).toBe(3);
    await asOwnerWithoutTriggers(`DELETE FROM "AuditEvent" WHERE actor = 'alice'`);
    expect((await verifyAuditChain(t.prisma, { checkpoints: checkpointsInFile() })).badCheckpoint?.reason).toMatch(/2 rows up to row 3, but the checkpoint of .* counted 3/);
  });

  it("are not signed over a broken chain: an alert goes to the webhook, the file is untouched", async () => {
    await checkpoint();
    await asOwnerWithoutTriggers(`DELETE FROM "AuditEvent" WHERE id = ${ids[5]}`);
    posted.length = 0;
    const error = await checkpoint().catch((e) => e);
    expect(error).toBeInstanceOf(AuditChainBrokenError);
    expect(error.message).toMatch(/no checkpoint was signed: checkpoint on line 1 .* rows were cut from the end/);
    expect(checkpointsInFile()).toHaveLength(1);
    expect(posted).toEqual([expect.objectContaining({ text: expect.stringContaining("audit.chain_broken"), rolegate: expect.objectContaining({ event: "audit.chain_broken" }) })]);
  });

  it("a checkpoint file line that is not a checkpoint is refused with its line number", () => {
    expect(() => parseCheckpoints('{"v":1}\n', "f.jsonl")).toThrow(/f.jsonl line 1 is not an audit checkpoint/);
    expect(() => parseCheckpoints("\nnot json\n", "f.jsonl")).toThrow(/line 2 is not JSON/);
    expect(() => parseCheckpoints("\n", "f.jsonl")).toThrow(/holds no checkpoints/);
  });

  it("are taken periodically by the job runner, once per interval slot however many runners tick", async () => {
    const at = new Date("2026-12-01T10:15:00Z");
    await scheduleAuditCheckpoint(t.prisma, 60, at);
    await scheduleAuditCheckpoint(t.prisma, 60, new Date("2026-12-01T10:59:00Z")); // same slot: no second job
    await scheduleAuditCheckpoint(t.prisma, 60, new Date("2026-12-01T11:00:00Z")); // next slot
    expect(await t.prisma.job.count({ where: { queue: "audit-checkpoint" } })).toBe(2);
    const runner = new JobRunner(t.prisma, { "audit-checkpoint": async () => void (await checkpoint()) }, { log: () => {} });
    expect(await runner.drain()).toBe(2);
    expect(checkpointsInFile()).toHaveLength(2);
    expect(await t.prisma.job.count({ where: { queue: "audit-checkpoint", status: "done" } })).toBe(2);
  });
});

describe("the app's verify (GET /api/v1/audit/verify)", () => {
  it("holds the trail against the configured checkpoint file when there is one", async () => {
    expect(await verifyConfiguredAuditTrail(t.prisma, file)).toMatchObject({ valid: true, rows: 6 }); // no file yet
    await checkpoint();
    expect(await verifyConfiguredAuditTrail(t.prisma, file)).toMatchObject({ valid: true, checkpoints: { checked: 1 } });
    await asOwnerWithoutTriggers(`DELETE FROM "AuditEvent" WHERE id = ${ids[5]}`);
    expect(await verifyConfiguredAuditTrail(t.prisma, file)).toMatchObject({ valid: false, badCheckpoint: { line: 1, reason: expect.stringMatching(/cut from the end/) } });
  });

  it("reports a checkpoint file it cannot parse as invalid, naming the line", async () => {
    writeFileSync(file, "garbage\n");
    expect(await verifyConfiguredAuditTrail(t.prisma, file)).toMatchObject({ valid: false, rows: 6, badCheckpoint: { line: 1, reason: expect.stringMatching(/line 1 is not JSON/) } });
  });
});

describe("checkpoint file written by hand", () => {
  it("verifies when an operator copies the webhook's checkpoint into a file", async () => {
    await checkpoint();
    const fromWebhook = (posted[0]!.rolegate as { checkpoint: AuditCheckpoint }).checkpoint;
    const copy = path.join(dir, "copied.jsonl");
    writeFileSync(copy, `${JSON.stringify(fromWebhook)}\n`);
    expect((await verifyAuditChain(t.prisma, { checkpoints: parseCheckpoints(readFileSync(copy, "utf8"), copy) })).valid).toBe(true);
  });
});
