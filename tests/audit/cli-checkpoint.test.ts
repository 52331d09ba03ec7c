// `rolegate audit checkpoint` and `rolegate audit verify --checkpoint FILE` as real
// processes against an embedded data dir we prepared.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { recordAudit } from "@/lib/audit/record";
import { runCli, withEmbeddedDb } from "../support/cli";

let dataDir: string;
let file: string;
const run = (args: string[], envPatch: Record<string, string | undefined> = {}) => runCli(dataDir, args, { ROLEGATE_WEBHOOK_URL: "", ...envPatch });
const withDb = (fn: Parameters<typeof withEmbeddedDb>[1]) => withEmbeddedDb(dataDir, fn);

let ids: string[];
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "rolegate-audit-cp-"));
  file = path.join(dataDir, "anchors", "checkpoints.jsonl");
  await withDb(async (db, prisma) => {
    await migrate(db.raw);
    for (let i = 0; i < 5; i++) await prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_in", details: { i } }));
    ids = (await prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((r) => r.id.toString());
  });
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("rolegate audit checkpoint / verify --checkpoint", { timeout: 180_000 }, () => {
  it("signs a checkpoint into the file, and verify --checkpoint exits 0 against it", async () => {
    const cp = await run(["audit", "checkpoint", "--file", file, "--json"]);
    expect(cp.stderr).toBe("");
    expect(cp.code).toBe(0);
    expect(JSON.parse(cp.stdout)).toMatchObject({ v: 1, lastId: ids[4], count: 5 });
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
    const text = await run(["audit", "verify", "--checkpoint", file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Audit chain valid: 5 rows checked\. Last row 5, hash [0-9a-f]{64}\. Matches 1 checkpoint\(s\); the newest \(line 1, .*\) covers 5 rows\.\n$/);
  });

  it("exits 2 without the audit key, naming ROLEGATE_AUDIT_KEY, and for a missing or malformed checkpoint file", async () => {
    const noKey = await run(["audit", "verify", "--checkpoint", file], { ROLEGATE_AUDIT_KEY: undefined });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^rolegate: no audit key: set ROLEGATE_AUDIT_KEY/);
    const missing = await run(["audit", "verify", "--checkpoint", path.join(dataDir, "nope.jsonl")]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot read checkpoint file .*: no such file/) });
    const junk = path.join(dataDir, "junk.jsonl");
    writeFileSync(junk, "hello\n");
    expect(await run(["audit", "verify", "--checkpoint", junk])).toMatchObject({ code: 2, stderr: expect.stringMatching(/line 1 is not JSON/) });
  });

  it("exits 1 with a forged checkpoint", async () => {
    const forged = path.join(dataDir, "forged.jsonl");
    const real = JSON.parse(readFileSync(file, "utf8").trim().split("\n")[0]!);
    writeFileSync(forged, `${JSON.stringify({ ...real, count: 4 })}\n`);
    const r = await run(["audit", "verify", "--checkpoint", forged, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, badCheckpoint: { line: 1, reason: expect.stringMatching(/forged/) } });
  });

  it("exits 1 when rows were cut from the end, which verify without the checkpoint cannot see", async () => {
    await withDb(async (db) => {
      await db.raw.transaction(async (tx) => {
        await tx.exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
        await tx.exec(`DELETE FROM "AuditEvent" WHERE id >= ${ids[3]}`);
        await tx.exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
      });
    });
    expect((await run(["audit", "verify"])).code).toBe(0);
    const r = await run(["audit", "verify", "--checkpoint", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^Audit checkpoint FAILED \\(line 1, taken .*, head row ${ids[4]}\\): row ${ids[4]}, .* is missing: .*rows were cut from the end`));
    // And no new checkpoint is signed over the cut trail.
    const cp = await run(["audit", "checkpoint", "--file", file]);
    expect(cp.code).toBe(1);
    expect(cp.stdout).toMatch(/^No checkpoint: the audit chain does not verify/);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
  });
});
