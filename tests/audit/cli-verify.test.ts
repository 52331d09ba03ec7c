// `rolegate audit verify` as a real process against an embedded data dir we prepared.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { recordAudit } from "@/lib/audit/record";
import { runCli, withEmbeddedDb } from "../support/cli";

let dataDir: string;
const run = (args: string[]) => runCli(dataDir, args);
const withDb = (fn: Parameters<typeof withEmbeddedDb>[1]) => withEmbeddedDb(dataDir, fn);

let ids: string[];
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "rolegate-audit-cli-"));
  await withDb(async (db, prisma) => {
    await migrate(db.raw);
    for (let i = 0; i < 5; i++) await prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_in", details: { i } }));
    ids = (await prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((r) => r.id.toString());
  });
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Each run starts a process that opens PGlite: seconds each on a busy machine.
describe("rolegate audit verify", { timeout: 180_000 }, () => {
  it("exits 0 with a valid chain (text and --json)", async () => {
    const text = await run(["audit", "verify"]);
    expect(text.stderr).toBe("");
    expect(text.stdout).toMatch(/^Audit chain valid: 5 rows checked\. Last row 5, hash [0-9a-f]{64}\.\n$/);
    expect(text.code).toBe(0);
    const json = await run(["audit", "verify", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, rows: 5, head: { id: ids[4] } });
  });

  it("exits 2 with a one-line message while another process holds the embedded database", async () => {
    writeFileSync(path.join(dataDir, "rolegate.lock"), String(process.pid)); // this test process is alive
    try {
      const r = await run(["audit", "verify", "--json"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^rolegate: cannot open the database: The embedded database at .* is already open in another RoleGate process \(pid \d+\)\..*\n$/);
      expect(r.stderr.split("\n")).toHaveLength(2);
    } finally {
      rmSync(path.join(dataDir, "rolegate.lock"), { force: true });
    }
  });

  it("exits 2 on bad usage", async () => {
    expect((await run(["audit", "check"])).code).toBe(2);
    expect((await run(["audit", "verify", "--yaml"])).code).toBe(2);
  });

  it("exits 1 and names the first bad row after a row is edited behind the triggers", async () => {
    await withDb(async (db) => {
      await db.raw.transaction(async (tx) => {
        await tx.exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
        await tx.exec(`UPDATE "AuditEvent" SET actor = 'mallory' WHERE id = ${ids[2]}`);
        await tx.exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
      });
    });
    const json = await run(["audit", "verify", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, rows: 3, firstBadRow: { id: ids[2], reason: expect.stringMatching(/edited/) } });
    const text = await run(["audit", "verify"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^Audit chain BROKEN at row ${ids[2]}: content does not match`));
  });
});
