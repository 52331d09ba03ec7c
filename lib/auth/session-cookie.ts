import "server-only";
import { getConfig } from "@/lib/config";
import { SESSION_ABSOLUTE_MS } from "./session-token";

/** Secure whenever RoleGate is served over https (ROLEGATE_PUBLIC_URL) or ROLEGATE_SECURE_COOKIES=true. */
export function secureCookies(): boolean {
  return getConfig().publicUrl?.startsWith("https://") === true || process.env.ROLEGATE_SECURE_COOKIES === "true";
}

export function sessionCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: secureCookies(),
    path: "/",
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  };
}
