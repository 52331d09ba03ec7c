// Every request: a per-request nonce Content-Security-Policy (Next applies the
// nonce to its own scripts), and an Origin check for state-changing API calls:
// a browser (which sends Origin) from another site is refused; automation with a
// Bearer token and no Origin passes. Server actions are checked by Next itself
// (Origin vs Host, plus serverActions.allowedOrigins in next.config.ts).
import { NextResponse, type NextRequest } from "next/server";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function csp(nonce: string): string {
  const dev = process.env.NODE_ENV !== "production";
  const idp = process.env.ROLEGATE_OIDC_ISSUER ? ` ${new URL(process.env.ROLEGATE_OIDC_ISSUER).origin}` : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${idp}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

function allowedOrigins(request: NextRequest): Set<string> {
  const out = new Set([request.nextUrl.origin]);
  const host = request.headers.get("host");
  if (host) out.add(`${request.nextUrl.protocol}//${host}`);
  if (process.env.ROLEGATE_PUBLIC_URL) out.add(new URL(process.env.ROLEGATE_PUBLIC_URL).origin);
  return out;
}

export function proxy(request: NextRequest) {
  const origin = request.headers.get("origin");
  if (request.nextUrl.pathname.startsWith("/api/") && UNSAFE.has(request.method) && origin && !allowedOrigins(request).has(origin)) {
    return NextResponse.json(
      { error: { code: "forbidden", message: `Cross-site request refused: Origin ${origin} is not this RoleGate. Call the API from scripts with a Bearer token.` } },
      { status: 403 },
    );
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = csp(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", policy);
  return res;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
