// Rate limits shared by every replica: fixed windows counted in Postgres (table
// RateLimit), one row per key ("ip:<addr>", "login:<name>", "prechecks:<user>"),
// bumped with one INSERT ... ON CONFLICT, so N replicas enforce one limit, not N.
// A GET only reads a count (limitWait); hits are counted by mutations and by the
// OIDC callback, the protocol's one writing GET.
import type { PrismaClient } from "@/lib/db/generated/client";
import { getConfig } from "@/lib/config";
import { ipMatcher, normaliseIp } from "@/lib/config/cidr";

export interface Limit {
  limit: number;
  windowMs: number;
}

export const SIGN_IN_LIMITS = {
  /** The default; ROLEGATE_SIGN_IN_LIMIT_PER_IP sets the limit. */
  perIp: { limit: 60, windowMs: 5 * 60_000 },
  perLogin: { limit: 20, windowMs: 5 * 60_000 },
} satisfies Record<string, Limit>;

/** POST /api/v1/prechecks reaches AWS for every item: per user, 30 calls a minute. */
export const PRECHECK_LIMIT: Limit = { limit: 30, windowMs: 60_000 };

type Db = Pick<PrismaClient, "$queryRaw" | "$executeRaw">;

/**
 * Counts one hit; returns the seconds to wait when over the limit, else 0. A refused hit
 * writes nothing: the window's count stays at the limit, so a refused call changes no row.
 */
export async function hitLimit(prisma: Db, key: string, limit: Limit, now = Date.now()): Promise<number> {
  const windowStart = new Date(Math.floor(now / limit.windowMs) * limit.windowMs);
  const k = key.slice(0, 300);
  // A newer window resets the count; a replica with a lagging clock only adds to the newest window.
  // The WHERE leaves a full window untouched (no row returned: refused).
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${k}, ${windowStart}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" >= EXCLUDED."windowStart" THEN "RateLimit"."count" + 1 ELSE 1 END,
      "windowStart" = GREATEST("RateLimit"."windowStart", EXCLUDED."windowStart")
    WHERE "RateLimit"."windowStart" < EXCLUDED."windowStart" OR "RateLimit"."count" < ${limit.limit}
    RETURNING "count"`;
  if (row) {
    // Old windows are dead weight: sweep now and then (about one counted hit in 200).
    if (Math.random() < 0.005) await prisma.$executeRaw`DELETE FROM "RateLimit" WHERE "windowStart" < ${new Date(now - 24 * 3_600_000)}`;
    return 0;
  }
  const [full] = await prisma.$queryRaw<{ windowStart: Date }[]>`SELECT "windowStart" FROM "RateLimit" WHERE "key" = ${k}`;
  return Math.max(1, Math.ceil((new Date(full?.windowStart ?? windowStart).getTime() + limit.windowMs - now) / 1000));
}

/**
 * Reads the count without counting it: the seconds to wait when the key's current window is
 * already full, else 0. Writes nothing, for GETs that must refuse an address over its limit
 * without being a write themselves (GET /api/auth/oidc/start); the attempt is counted where
 * writing is legitimate (the OIDC callback). Same rule as hitLimit's refusal: a row of this
 * window (or a newer one, from a replica whose clock is ahead) at the limit.
 */
export async function limitWait(prisma: Pick<PrismaClient, "$queryRaw">, key: string, limit: Limit, now = Date.now()): Promise<number> {
  const windowStart = new Date(Math.floor(now / limit.windowMs) * limit.windowMs);
  const [row] = await prisma.$queryRaw<{ windowStart: Date; count: number }[]>`
    SELECT "windowStart", "count" FROM "RateLimit" WHERE "key" = ${key.slice(0, 300)}`;
  if (!row || new Date(row.windowStart) < windowStart || row.count < limit.limit) return 0;
  return Math.max(1, Math.ceil((new Date(row.windowStart).getTime() + limit.windowMs - now) / 1000));
}

/**
 * A successful sign-in clears its login's count: the per-login limit stops guessing
 * and hammering, not a person who signs in often. The per-address count stays.
 */
export async function clearLoginLimit(prisma: Pick<PrismaClient, "$executeRaw">, login: string): Promise<void> {
  await prisma.$executeRaw`DELETE FROM "RateLimit" WHERE "key" = ${`login:${login.toLowerCase()}`.slice(0, 300)}`;
}

/** Both limits for one sign-in attempt; the first exceeded one wins. */
export async function signInAttempt(prisma: Db, ip: string, login?: string, now = Date.now(), perIp: number = getConfig().signInLimitPerIp): Promise<number> {
  const byIp = await hitLimit(prisma, `ip:${ip}`, { ...SIGN_IN_LIMITS.perIp, limit: perIp }, now);
  const byLogin = login ? await hitLimit(prisma, `login:${login.toLowerCase()}`, SIGN_IN_LIMITS.perLogin, now) : 0;
  return Math.max(byIp, byLogin);
}

/** The per-address sign-in limit, read only (see limitWait): seconds to wait when this address is over it, else 0. */
export async function signInWait(prisma: Pick<PrismaClient, "$queryRaw">, ip: string, now = Date.now(), perIp: number = getConfig().signInLimitPerIp): Promise<number> {
  return limitWait(prisma, `ip:${ip}`, { ...SIGN_IN_LIMITS.perIp, limit: perIp }, now);
}

export function rateLimitMessage(retryAfterS: number): string {
  return `Too many sign-in attempts. Wait ${Math.max(1, Math.ceil(retryAfterS / 60))} minute(s) and try again.`;
}

/**
 * The header scripts/start.ts sets from the TCP peer of every request (any value
 * a client sends is overwritten), because Next's own X-Forwarded-For keeps what
 * the client sent and only fills it in when absent.
 */
export const PEER_HEADER = "x-rolegate-peer";

/**
 * The client address. X-Forwarded-For is believed only when the TCP peer is a
 * trusted proxy (ROLEGATE_TRUSTED_PROXIES): then the rightmost hop that is not
 * itself a trusted proxy is the client. Otherwise the peer itself; "unknown"
 * when the server did not say (e.g. `next dev`).
 */
export function clientIp(h: Headers, trustedProxies: readonly string[] = getConfig().trustedProxies): string {
  const peer = h.get(PEER_HEADER)?.trim();
  if (!peer) return "unknown";
  const trusted = ipMatcher(trustedProxies);
  if (!trusted(peer)) return normaliseIp(peer);
  const hops = (h.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted(hops[i]!)) return normaliseIp(hops[i]!);
  return normaliseIp(hops[0] ?? peer);
}
