// The SCIM authenticate step: the IdP's SCIM client presents its own secret
// (ROLEGATE_SCIM_TOKEN) as a Bearer token, compared in constant time. It is the
// "scim" principal: no account, no role; sessions and API tokens are no use here.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ScimPrincipal } from "@/lib/core/operation";
import { ScimError } from "./errors";

const digest = (s: string) => createHash("sha256").update(s).digest();

export function authenticateScimClient(request: Request, secret: string): ScimPrincipal {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!presented || !timingSafeEqual(digest(presented), digest(secret))) {
    throw new ScimError(401, "Authentication failed: send the SCIM secret (ROLEGATE_SCIM_TOKEN) as a Bearer token.");
  }
  return { kind: "scim", login: "scim" };
}
