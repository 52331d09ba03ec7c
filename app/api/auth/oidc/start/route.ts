// GET /api/auth/oidc/start: redirect to the IdP (PKCE + state + nonce in a short-lived cookie).
// Writes nothing: an address over its sign-in limit is refused from a read of the count; the
// attempt is counted by the callback (lib/auth/oidc-flow.ts).
import { NextResponse } from "next/server";
import { encodeFlow, OIDC_FLOW_COOKIE, OIDC_FLOW_MAX_AGE_S, startFlow } from "@/lib/auth/oidc";
import { oidcStartWait } from "@/lib/auth/oidc-flow";
import { rateLimitMessage } from "@/lib/auth/rate-limit";
import { secureCookies } from "@/lib/auth/session-cookie";
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const { oidc } = getConfig();
  if (!oidc) return Response.json({ error: { code: "not_found", message: "Single sign-on is not configured." } }, { status: 404 });
  const wait = await oidcStartWait(request.headers);
  if (wait) {
    return Response.json({ error: { code: "rate_limited", message: rateLimitMessage(wait) } }, { status: 429, headers: { "retry-after": String(wait) } });
  }
  let started;
  try {
    started = await startFlow(oidc);
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "oidc.discovery_failed", issuer: oidc.issuer, error: (e as Error).message }));
    return Response.json(
      { error: { code: "unavailable", message: "The single sign-on provider cannot be reached. Try again in a minute; if it persists, tell your RoleGate admin." } },
      { status: 503 },
    );
  }
  const res = NextResponse.redirect(started.url, 303);
  res.cookies.set(OIDC_FLOW_COOKIE, encodeFlow(started.flow), {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: "/api/auth/oidc",
    maxAge: OIDC_FLOW_MAX_AGE_S,
  });
  return res;
}
