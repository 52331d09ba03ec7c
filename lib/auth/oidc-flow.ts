import "server-only";
// The OIDC callback's steps, behind the sign-in-with-oidc operation
// (lib/api/operations/auth.ts): the sign-in rate limits, the code exchange and,
// through completeOidcSignIn, the user, the session and the audit row in one
// transaction. The route keeps the HTTP side (redirects, cookies, status codes).
import type { OidcConfig } from "@/lib/config/oidc";
import type { PrismaClient } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db";
import { decodeFlow, finishFlow, type IdentityClaims } from "./oidc";
import { completeOidcSignIn } from "./oidc-sign-in";
import { clientIp, hitLimit, SIGN_IN_LIMITS, signInAttempt, signInWait } from "./rate-limit";

/**
 * GET /api/auth/oidc/start: refuses an address already over its sign-in limit, reading the count
 * only (a GET writes nothing). The attempt is counted once, by the callback (oidcCallback): every
 * attempt that reaches the IdP's code exchange passes there, so the limit still stops an address
 * after as many attempts; starting a flow alone costs RoleGate one read and the IdP nothing.
 */
export async function oidcStartWait(headers: Headers, prisma?: PrismaClient): Promise<number> {
  return signInWait(prisma ?? (await getPrisma()), clientIp(headers));
}

/** What the callback answers: wait (429), go back to a page, or signed in with a new session. */
export type OidcCallbackOutcome =
  | { kind: "rate-limited"; wait: number }
  | { kind: "back"; path: string }
  | { kind: "signed-in"; token: string; login: string };

export async function oidcCallback(
  prisma: PrismaClient,
  oidc: OidcConfig,
  call: { search: string; flowCookie?: string; headers: Headers },
): Promise<OidcCallbackOutcome> {
  // The sign-in attempt is counted here (a GET by the protocol's necessity, and a write already: the session).
  const wait = await signInAttempt(prisma, clientIp(call.headers));
  if (wait) return { kind: "rate-limited", wait };
  if (new URLSearchParams(call.search).get("error")) return { kind: "back", path: "/signin?error=idp" };
  const flow = decodeFlow(call.flowCookie);
  if (!flow) return { kind: "back", path: "/signin?error=expired" };
  let who: IdentityClaims;
  try {
    who = await finishFlow(oidc, call.search, flow);
  } catch (e) {
    console.error(JSON.stringify({ level: "warn", event: "oidc.callback_failed", error: (e as Error).message }));
    return { kind: "back", path: "/signin?error=failed" };
  }
  const waitLogin = await hitLimit(prisma, `login:${who.sub.toLowerCase()}`, SIGN_IN_LIMITS.perLogin);
  if (waitLogin) return { kind: "rate-limited", wait: waitLogin };
  const outcome = await completeOidcSignIn(prisma, oidc, who, call.headers.get("user-agent")?.slice(0, 300));
  if (!outcome.ok) return { kind: "back", path: `/signin/no-access?reason=${outcome.reason}` };
  return { kind: "signed-in", token: outcome.token, login: outcome.login };
}
