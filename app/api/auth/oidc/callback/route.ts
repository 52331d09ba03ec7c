// GET /api/auth/oidc/callback: the IdP sends the user back here with a code.
// A GET because the OpenID Connect code flow requires one: the protocol's
// exception to "GETs never write" (README, Architecture). The sign-in itself is
// the `signInWithOidcOp` operation (lib/api/operations/auth.ts), run by the pipeline.
import { NextResponse } from "next/server";
import { signInWithOidcOp } from "@/lib/api/operations/auth";
import { OIDC_FLOW_COOKIE } from "@/lib/auth/oidc";
import { rateLimitMessage } from "@/lib/auth/rate-limit";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { sessionCookieOptions } from "@/lib/auth/session-cookie";
import { getConfig } from "@/lib/config";
import { runPipeline } from "@/lib/core/pipeline";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const { oidc, publicUrl } = getConfig();
  if (!oidc || !publicUrl) return Response.json({ error: { code: "not_found", message: "Single sign-on is not configured." } }, { status: 404 });
  const back = (path: string) => {
    const res = NextResponse.redirect(`${publicUrl}${path}`, 303);
    res.cookies.set(OIDC_FLOW_COOKIE, "", { path: "/api/auth/oidc", maxAge: 0 });
    return res;
  };
  const flowCookie = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${OIDC_FLOW_COOKIE}=([^;]+)`))?.[1];
  const result = await runPipeline(signInWithOidcOp, { search: new URL(request.url).search, flowCookie });
  if (!result.ok) return back("/signin?error=failed");
  const outcome = result.data;
  if (outcome.kind === "rate-limited") {
    return Response.json({ error: { code: "rate_limited", message: rateLimitMessage(outcome.wait) } }, { status: 429, headers: { "retry-after": String(outcome.wait) } });
  }
  if (outcome.kind === "back") return back(outcome.path);
  const res = back("/");
  res.cookies.set(SESSION_COOKIE, outcome.token, sessionCookieOptions());
  return res;
}
