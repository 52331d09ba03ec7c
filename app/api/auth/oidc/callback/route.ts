// GET /api/auth/oidc/callback: the IdP sends the user back here with a code.
import { NextResponse } from "next/server";
import { decodeFlow, finishFlow, OIDC_FLOW_COOKIE } from "@/lib/auth/oidc";
import { completeOidcSignIn } from "@/lib/auth/oidc-sign-in";
import { clientIp, hitLimit, rateLimitMessage, SIGN_IN_LIMITS, signInAttempt } from "@/lib/auth/rate-limit";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { sessionCookieOptions } from "@/lib/auth/session-cookie";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const { oidc, publicUrl } = getConfig();
  if (!oidc || !publicUrl) return Response.json({ error: { code: "not_found", message: "Single sign-on is not configured." } }, { status: 404 });
  const url = new URL(request.url);
  const back = (path: string) => {
    const res = NextResponse.redirect(`${publicUrl}${path}`, 303);
    res.cookies.set(OIDC_FLOW_COOKIE, "", { path: "/api/auth/oidc", maxAge: 0 });
    return res;
  };
  const tooMany = (wait: number) =>
    Response.json({ error: { code: "rate_limited", message: rateLimitMessage(wait) } }, { status: 429, headers: { "retry-after": String(wait) } });
  const prisma = await getPrisma();
  const wait = await signInAttempt(prisma, clientIp(request.headers));
  if (wait) return tooMany(wait);
  if (url.searchParams.get("error")) return back(`/signin?error=idp`);
  const flow = decodeFlow(request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${OIDC_FLOW_COOKIE}=([^;]+)`))?.[1]);
  if (!flow) return back(`/signin?error=expired`);
  let who;
  try {
    who = await finishFlow(oidc, url.search, flow);
  } catch (e) {
    console.error(JSON.stringify({ level: "warn", event: "oidc.callback_failed", error: (e as Error).message }));
    return back(`/signin?error=failed`);
  }
  const waitLogin = await hitLimit(prisma, `login:${who.sub.toLowerCase()}`, SIGN_IN_LIMITS.perLogin);
  if (waitLogin) return tooMany(waitLogin);
  const outcome = await completeOidcSignIn(prisma, oidc, who, request.headers.get("user-agent")?.slice(0, 300));
  if (!outcome.ok) return back(`/signin/no-access?reason=${outcome.reason}`);
  const res = back("/");
  res.cookies.set(SESSION_COOKIE, outcome.token, sessionCookieOptions());
  return res;
}
