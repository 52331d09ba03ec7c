// Sign-in attempt limiter: a fixed window per key ("ip:<addr>", "login:<name>"),
// in process memory (one RoleGate process per database with the embedded DB; with
// several replicas each enforces its own window, which still bounds guessing).
import { runtime } from "@/lib/runtime";

export const SIGN_IN_LIMITS = {
  perIp: { limit: 60, windowMs: 5 * 60_000 },
  perLogin: { limit: 20, windowMs: 5 * 60_000 },
};

type Window = { start: number; count: number };

function windows(): Map<string, Window> {
  // Kept by the process's runtime: the Next.js bundles share it (lib/runtime.ts).
  return runtime().state("sign-in-limiter", () => new Map<string, Window>());
}

/** Counts one attempt; returns the seconds to wait when over the limit, else 0. */
export function hitLimit(key: string, limit: { limit: number; windowMs: number }, now = Date.now()): number {
  const map = windows();
  if (map.size > 10_000) for (const [k, w] of map) if (now - w.start >= limit.windowMs) map.delete(k);
  let w = map.get(key);
  if (!w || now - w.start >= limit.windowMs) map.set(key, (w = { start: now, count: 0 }));
  w.count += 1;
  return w.count > limit.limit ? Math.ceil((w.start + limit.windowMs - now) / 1000) : 0;
}

/** Both limits for one sign-in attempt; the first exceeded one wins. */
export function signInAttempt(ip: string, login?: string, now = Date.now()): number {
  const byIp = hitLimit(`ip:${ip}`, SIGN_IN_LIMITS.perIp, now);
  const byLogin = login ? hitLimit(`login:${login.toLowerCase()}`, SIGN_IN_LIMITS.perLogin, now) : 0;
  return Math.max(byIp, byLogin);
}

export function rateLimitMessage(retryAfterS: number): string {
  return `Too many sign-in attempts. Wait ${Math.max(1, Math.ceil(retryAfterS / 60))} minute(s) and try again.`;
}

/** Test hook. */
export function resetSignInLimits(): void {
  windows().clear();
}

/** The client address: the last X-Forwarded-For hop (added by our proxy or Next), else "unknown". */
export function clientIp(h: Headers): string {
  const hops = (h.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return hops.at(-1) ?? h.get("x-real-ip") ?? "unknown";
}
