// Sign-in and precheck limits are counted in Postgres, so every replica enforces
// one shared window; X-Forwarded-For is believed only from ROLEGATE_TRUSTED_PROXIES.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientIp, hitLimit, limitWait, PEER_HEADER, signInAttempt, signInWait } from "@/lib/auth/rate-limit";
import { loadConfig } from "@/lib/config/load";
import { createPrismaClient } from "@/lib/db/prisma-client";
import { databaseChecksum, openTestDatabase, type TestDatabase } from "../support/db";
import type { PrismaClient } from "@/lib/db/generated/client";

let t: TestDatabase;
/** A second Prisma client with its own connection pool: another replica of the app. */
let replica: PrismaClient;

beforeAll(async () => {
  t = await openTestDatabase();
  replica = createPrismaClient(t.db.adapter);
});
afterAll(async () => {
  await replica?.$disconnect();
  await t?.close();
});
beforeEach(() => t.reset());

describe("shared rate limits", () => {
  it("two replicas share one window: the limit is the limit, not the limit per replica", async () => {
    const w = { limit: 4, windowMs: 60_000 };
    const t0 = 6_000_000;
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await hitLimit(i % 2 ? replica : t.prisma, "ip:10.1.1.1", w, t0 + i));
    expect(hits).toEqual([0, 0, 0, 0]);
    expect(await hitLimit(replica, "ip:10.1.1.1", w, t0 + 10)).toBeGreaterThan(0);
    expect(await hitLimit(t.prisma, "ip:10.1.1.1", w, t0 + 20)).toBeGreaterThan(0);
    // The two refused hits wrote nothing: a refused call changes no row.
    const [row] = await t.prisma.rateLimit.findMany({ where: { key: "ip:10.1.1.1" } });
    expect(row?.count).toBe(4);
  });

  it("concurrent hits from both replicas are all counted (one atomic upsert each)", async () => {
    const w = { limit: 10, windowMs: 60_000 };
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => hitLimit(i % 2 ? replica : t.prisma, "login:race", w, 7_000_000)));
    expect(waits.filter((s) => s === 0)).toHaveLength(10);
    expect(waits.filter((s) => s > 0)).toHaveLength(20);
  });

  it("the next window starts from zero and says how long to wait in this one", async () => {
    const w = { limit: 1, windowMs: 60_000 };
    const t0 = 60_000 * 100;
    expect(await hitLimit(t.prisma, "k", w, t0)).toBe(0);
    expect(await hitLimit(replica, "k", w, t0 + 15_000)).toBe(45);
    expect(await hitLimit(t.prisma, "k", w, t0 + 60_000)).toBe(0);
  });

  it("sign-in limits count per IP and per login, case-insensitively", async () => {
    const t0 = 9_000_000;
    for (let i = 0; i < 20; i++) expect(await signInAttempt(i % 2 ? replica : t.prisma, `10.0.0.${i}`, "alice", t0)).toBe(0);
    expect(await signInAttempt(t.prisma, "10.0.1.1", "ALICE", t0)).toBeGreaterThan(0);
    expect(await signInAttempt(t.prisma, "10.0.1.1", "bob", t0)).toBe(0);
  });

  it("one address meets its own limit (ROLEGATE_SIGN_IN_LIMIT_PER_IP) across logins", async () => {
    const t0 = 9_600_000;
    for (let i = 0; i < 5; i++) expect(await signInAttempt(i % 2 ? replica : t.prisma, "10.9.9.9", `user${i}`, t0, 5)).toBe(0);
    expect(await signInAttempt(t.prisma, "10.9.9.9", "user9", t0, 5)).toBeGreaterThan(0);
    expect(await signInAttempt(t.prisma, "10.9.9.10", "user9", t0, 5)).toBe(0);
  });
});

describe("reading a limit without counting (GETs: the OIDC start)", () => {
  it("refuses only a full window of this key, says how long to wait, and writes nothing", async () => {
    const w = { limit: 3, windowMs: 60_000 };
    const t0 = 60_000 * 200;
    for (let i = 0; i < 2; i++) await hitLimit(t.prisma, "ip:10.2.2.2", w, t0);
    const before = await databaseChecksum(t.prisma);
    expect(await limitWait(replica, "ip:10.2.2.2", w, t0 + 1_000)).toBe(0);
    expect(await limitWait(t.prisma, "ip:10.2.2.3", w, t0 + 1_000)).toBe(0);
    expect(await databaseChecksum(t.prisma)).toBe(before);
    await hitLimit(replica, "ip:10.2.2.2", w, t0 + 2_000);
    const full = await databaseChecksum(t.prisma);
    // Full: the same wait hitLimit would give, on either replica, however often it is asked.
    for (let i = 0; i < 5; i++) expect(await limitWait(i % 2 ? replica : t.prisma, "ip:10.2.2.2", w, t0 + 15_000)).toBe(45);
    expect(await hitLimit(t.prisma, "ip:10.2.2.2", w, t0 + 15_000)).toBe(45);
    // The next window starts from zero for the read as for the count.
    expect(await limitWait(t.prisma, "ip:10.2.2.2", w, t0 + 60_000)).toBe(0);
    expect(await databaseChecksum(t.prisma)).toBe(full);
  });

  it("signInWait reads the per-address count that signInAttempt bumps", async () => {
    const t0 = 9_900_000;
    for (let i = 0; i < 5; i++) {
      expect(await signInWait(t.prisma, "10.8.8.8", t0, 5)).toBe(0);
      expect(await signInAttempt(i % 2 ? replica : t.prisma, "10.8.8.8", `user${i}`, t0, 5)).toBe(0);
    }
    expect(await signInWait(replica, "10.8.8.8", t0, 5)).toBeGreaterThan(0);
    expect(await signInWait(t.prisma, "10.8.8.9", t0, 5)).toBe(0);
  });
});

describe("client address", () => {
  const headers = (peer: string | null, xff?: string) => {
    const h = new Headers();
    if (peer) h.set(PEER_HEADER, peer);
    if (xff) h.set("x-forwarded-for", xff);
    return h;
  };

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy (no spoofed addresses to dodge the limit)", () => {
    expect(clientIp(headers("203.0.113.9", "1.2.3.4"), [])).toBe("203.0.113.9");
    expect(clientIp(headers("203.0.113.9", "1.2.3.4"), ["10.0.0.0/8"])).toBe("203.0.113.9");
    expect(clientIp(headers("::ffff:203.0.113.9", "1.2.3.4"), ["10.0.0.0/8"])).toBe("203.0.113.9");
  });

  it("behind trusted proxies takes the rightmost hop that is not a proxy", () => {
    expect(clientIp(headers("10.0.0.5", "1.2.3.4, 198.51.100.7"), ["10.0.0.0/8"])).toBe("198.51.100.7");
    expect(clientIp(headers("10.0.0.5", "1.2.3.4, 198.51.100.7, 10.0.3.3"), ["10.0.0.0/8"])).toBe("198.51.100.7");
    expect(clientIp(headers("::ffff:10.0.0.5", "198.51.100.7"), ["10.0.0.5"])).toBe("198.51.100.7");
    expect(clientIp(headers("fd00::1", "2001:db8::7"), ["fd00::/8"])).toBe("2001:db8::7");
  });

  it("without a peer (not served by scripts/start.ts) every caller is 'unknown', never a header value", () => {
    expect(clientIp(headers(null, "1.2.3.4"), ["0.0.0.0/0"])).toBe("unknown");
  });

  it("ROLEGATE_TRUSTED_PROXIES takes IPs and CIDRs and names itself when an entry is neither", () => {
    const base = { ROLEGATE_MODE: "sandbox" };
    expect(loadConfig({ ...base, ROLEGATE_TRUSTED_PROXIES: "10.0.0.0/8, 192.168.1.10,fd00::/8" }).trustedProxies).toEqual(["10.0.0.0/8", "192.168.1.10", "fd00::/8"]);
    expect(loadConfig(base).trustedProxies).toEqual([]);
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0/8", "1.2.3.4/x"]) {
      expect(() => loadConfig({ ...base, ROLEGATE_TRUSTED_PROXIES: bad })).toThrow(/ROLEGATE_TRUSTED_PROXIES/);
    }
  });
});
