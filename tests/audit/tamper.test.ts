// The database refuses to change the trail, and someone who gets around that
// (the table owner disabling the triggers) is caught by verify.
import { beforeEach, describe, expect, it } from "vitest";
import { rowHash } from "@/lib/audit/chain";
import { recordAudit } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { asOwnerWithoutAuditTriggers } from "../support/db";
import { useWorld } from "../support/world";

const w = useWorld();

let ids: string[] = [];
beforeEach(async () => {
  for (let i = 0; i < 8; i++) {
    await w.prisma.$transaction((tx) =>
      recordAudit(tx, { actor: "ivy", event: "auth.signed_in", subject: `row-${i}`, details: { approved: i % 2 === 0 }, cluster: "domino-blue" }),
    );
  }
  ids = (await w.prisma.auditEvent.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((r) => r.id.toString());
});

/** What an attacker with owner rights does: switch the append-only triggers off, tamper, switch them on. */
const asOwnerWithoutTriggers = (sql: string) => asOwnerWithoutAuditTriggers(w.db, sql);

describe("append-only triggers", () => {
  it("refuse UPDATE through Prisma and raw SQL", async () => {
    await expect(w.prisma.auditEvent.update({ where: { id: BigInt(ids[2]!) }, data: { actor: "mallory" } })).rejects.toThrow(/append-only/);
    await expect(w.db.raw.exec(`UPDATE "AuditEvent" SET "details" = '{"approved":false}' WHERE id = ${ids[2]}`)).rejects.toThrow(
      /AuditEvent is append-only: UPDATE is not allowed/,
    );
  });

  it("refuse DELETE and TRUNCATE", async () => {
    await expect(w.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(w.db.raw.exec(`DELETE FROM "AuditEvent" WHERE id = ${ids[3]}`)).rejects.toThrow(/AuditEvent is append-only: DELETE is not allowed/);
    await expect(w.db.raw.exec(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/AuditEvent is append-only: TRUNCATE is not allowed/);
    expect(await w.prisma.auditEvent.count()).toBe(8);
    expect(await verifyAuditChain(w.prisma)).toMatchObject({ valid: true, rows: 8 });
  });
});

describe("verify catches tampering past the triggers", () => {
  it("an edited detail: names the edited row", async () => {
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "details" = '{"approved": true}' WHERE id = ${ids[3]}`);
    const result = await verifyAuditChain(w.prisma, { pageSize: 3 });
    expect(result.valid).toBe(false);
    expect(result.firstBadRow).toEqual({ id: ids[3], reason: expect.stringMatching(/edited/) });
    expect(result.rows).toBe(4);
  });

  it("an edited typed column or time: names the row", async () => {
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "at" = "at" - interval '1 hour' WHERE id = ${ids[5]}`);
    expect((await verifyAuditChain(w.prisma)).firstBadRow?.id).toBe(ids[5]);
  });

  it("an edit with its own hash recomputed: the next row's link breaks", async () => {
    const row = await w.prisma.auditEvent.findUniqueOrThrow({ where: { id: BigInt(ids[4]!) } });
    const forged = rowHash({ ...row, cluster: "domino-green" });
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "cluster" = 'domino-green', "hash" = '${forged}' WHERE id = ${ids[4]}`);
    const result = await verifyAuditChain(w.prisma);
    expect(result.firstBadRow).toEqual({ id: ids[5], reason: expect.stringMatching(/not the hash of the previous row/) });
  });

  it("a deleted middle row: names the row after the gap", async () => {
    await asOwnerWithoutTriggers(`DELETE FROM "AuditEvent" WHERE id = ${ids[4]}`);
    const result = await verifyAuditChain(w.prisma);
    expect(result).toMatchObject({ valid: false, firstBadRow: { id: ids[5], reason: expect.stringMatching(/deleted, inserted or moved/) } });
  });

  it("a deleted first row: names the new first row", async () => {
    await asOwnerWithoutTriggers(`DELETE FROM "AuditEvent" WHERE id = ${ids[0]}`);
    expect((await verifyAuditChain(w.prisma)).firstBadRow).toEqual({ id: ids[1], reason: expect.stringMatching(/genesis/) });
  });

  it("reordered rows (ids swapped): names the first moved row", async () => {
    await asOwnerWithoutTriggers(
      `UPDATE "AuditEvent" SET id = -1 WHERE id = ${ids[2]};
       UPDATE "AuditEvent" SET id = ${ids[2]} WHERE id = ${ids[6]};
       UPDATE "AuditEvent" SET id = ${ids[6]} WHERE id = -1;`,
    );
    expect((await verifyAuditChain(w.prisma)).firstBadRow?.id).toBe(ids[2]);
  });

  it("the writer continues the chain after tampering, so verify keeps pointing at the tampered row", async () => {
    await asOwnerWithoutTriggers(`UPDATE "AuditEvent" SET "actor" = 'mallory' WHERE id = ${ids[1]}`);
    await w.prisma.$transaction((tx) => recordAudit(tx, { actor: "root", event: "auth.signed_out" }));
    expect((await verifyAuditChain(w.prisma)).firstBadRow?.id).toBe(ids[1]);
  });
});

describe("rows from before the chain", () => {
  it("are counted as unchained at the start, and refused after the first chained row", async () => {
    await w.reset();
    await w.db.raw.exec(`INSERT INTO "AuditEvent" (actor, event, "prevHash", hash) VALUES ('alice', 'auth.signed_in', '', ''), ('bob', 'auth.signed_in', '', '')`);
    await w.prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_in" }));
    expect(await verifyAuditChain(w.prisma)).toMatchObject({ valid: true, rows: 3, unchained: 2 });
    await w.db.raw.exec(`INSERT INTO "AuditEvent" (actor, event, "prevHash", hash) VALUES ('mallory', 'auth.signed_in', '', '')`);
    const result = await verifyAuditChain(w.prisma);
    expect(result.valid).toBe(false);
    expect(result.rows).toBe(4);
  });
});
