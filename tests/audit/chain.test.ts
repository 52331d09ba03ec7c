// The audit trail's hash chain on the real database helper (PGlite, or Postgres with DATABASE_URL).
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, rowHash } from "@/lib/audit/chain";
import { recordAudit } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { useWorld } from "../support/world";

const w = useWorld();

const rows = () => w.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: "é" }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":"é","z":1}]},"b":1}');
  });
});

describe("recordAudit chain", () => {
  it("links every row to the previous one, starting from the genesis hash", async () => {
    for (let i = 0; i < 30; i++) {
      await w.prisma.$transaction((tx) =>
        recordAudit(tx, {
          actor: i % 2 ? "ivy" : "alice",
          event: "auth.signed_in",
          subject: `s-${i}`,
          details: { i, nested: { b: [1, "two", null], a: true }, when: new Date(0).toISOString() },
          cluster: "domino-blue",
          namespace: "domino-compute",
          serviceAccount: `svc-${i}`,
          roleArn: "arn:aws:iam::111122223333:role/x",
          requestId: "req-1",
          fromState: "pending",
          toState: "approved",
        }),
      );
    }
    const all = await rows();
    expect(all).toHaveLength(30);
    expect(all[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    for (const r of all) expect(rowHash(r)).toBe(r.hash);
    expect(new Set(all.map((r) => r.hash)).size).toBe(30);
    const result = await verifyAuditChain(w.prisma, { pageSize: 7 });
    expect(result).toMatchObject({ valid: true, rows: 30, head: { id: all[29]!.id.toString(), hash: all[29]!.hash } });
    expect(result.firstBadRow).toBeUndefined();
  });

  it("stays one chain with 20 concurrent writers", async () => {
    await w.prisma.$transaction((tx) => recordAudit(tx, { actor: "root", event: "auth.signed_in" }));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.prisma.$transaction(
          async (tx) => {
            await recordAudit(tx, { actor: `user-${i}`, event: "auth.signed_in", details: { i } });
            await new Promise((r) => setTimeout(r, 5)); // hold the lock a while
            await recordAudit(tx, { actor: `user-${i}`, event: "auth.signed_out", details: { i } });
          },
          { maxWait: 30_000, timeout: 30_000 },
        ),
      ),
    );
    const all = await rows();
    expect(all).toHaveLength(41);
    const prevs = new Set(all.map((r) => r.prevHash));
    expect(prevs.size).toBe(41); // no fork: nobody chained onto the same row twice
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    // A transaction's two rows are adjacent: the lock is held to its end.
    for (let i = 1; i < all.length; i += 2) expect(all[i + 1]!.actor).toBe(all[i]!.actor);
    expect(await verifyAuditChain(w.prisma)).toMatchObject({ valid: true, rows: 41 });
  }, 60_000);

  it("rolls the audit row back with the failing change (no orphan row)", async () => {
    await w.prisma.$transaction((tx) => recordAudit(tx, { actor: "alice", event: "auth.signed_in" }));
    await expect(
      w.prisma.$transaction(async (tx) => {
        await recordAudit(tx, { actor: "alice", event: "auth.signed_out" });
        await tx.user.create({ data: { login: "dup", name: "A", role: "requester" } });
        await tx.user.create({ data: { login: "dup", name: "B", role: "requester" } }); // unique violation
      }),
    ).rejects.toThrow();
    expect((await rows()).map((r) => r.event)).toEqual(["auth.signed_in"]);
    expect(await w.prisma.user.count()).toBe(0);
    await w.prisma.$transaction((tx) => recordAudit(tx, { actor: "alice", event: "auth.signed_out" }));
    expect(await verifyAuditChain(w.prisma)).toMatchObject({ valid: true, rows: 2 });
  });

  // PGlite has one connection and serialises transactions: only Postgres honours the isolation level.
  it.skipIf(!process.env.DATABASE_URL)("refuses a REPEATABLE READ transaction, whose snapshot could fork the chain", async () => {
    await expect(
      w.prisma.$transaction((tx) => recordAudit(tx, { actor: "alice", event: "auth.signed_in" }), { isolationLevel: "RepeatableRead" }),
    ).rejects.toThrow(/READ COMMITTED/);
  });

  it("verifies an empty trail as valid", async () => {
    expect(await verifyAuditChain(w.prisma)).toEqual({ valid: true, rows: 0, unchained: 0 });
  });
});
