import "server-only";
// The database side of the OIDC routes: sign-in rate limits and completing the
// sign-in (user + session + audit). The routes keep the HTTP side (redirects,
// cookies, status codes).
import type { OidcConfig } from "@/lib/config/oidc";
import { getPrisma } from "@/lib/db";
import type { IdentityClaims } from "./oidc";
import { completeOidcSignIn } from "./oidc-sign-in";
import { clientIp, hitLimit, SIGN_IN_LIMITS, signInAttempt } from "./rate-limit";

/** Count one sign-in attempt from the caller's address; seconds to wait when over the limit, else 0. */
export async function oidcAttemptWait(headers: Headers): Promise<number> {
  return signInAttempt(await getPrisma(), clientIp(headers));
}

/** Count an attempt for the IdP's subject; seconds to wait when over the limit, else 0. */
export async function oidcLoginWait(who: IdentityClaims): Promise<number> {
  return hitLimit(await getPrisma(), `login:${who.sub.toLowerCase()}`, SIGN_IN_LIMITS.perLogin);
}

/** Create or update the user from the IdP's claims and open a session (audited). */
export async function finishOidcSignIn(oidc: OidcConfig, who: IdentityClaims, userAgent: string | undefined) {
  return completeOidcSignIn(await getPrisma(), oidc, who, userAgent);
}
