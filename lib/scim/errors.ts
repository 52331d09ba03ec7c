// SCIM 2.0 error responses (RFC 7644 section 3.12): what an IdP's provisioning
// log shows, so the detail says what was wrong and with which attribute.
import { DomainError, type ErrorCode } from "@/lib/core/errors";

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SCIM_CONTENT_TYPE = "application/scim+json";

export type ScimType = "invalidFilter" | "invalidSyntax" | "invalidValue" | "invalidPath" | "noTarget" | "uniqueness" | "mutability" | "tooMany";
export type ScimStatus = 400 | 401 | 404 | 409 | 413;

const CODE: Record<ScimStatus, ErrorCode> = { 400: "invalid", 401: "unauthenticated", 404: "not_found", 409: "conflict", 413: "too_large" };

/**
 * A SCIM failure, named by its HTTP status and scimType. A DomainError (the scimType is its
 * reason), so the pipeline answers it like any other and the SCIM adapter (./http) renders it.
 */
export class ScimError extends DomainError {
  constructor(status: ScimStatus, detail: string, scimType?: ScimType) {
    super(CODE[status], detail, undefined, scimType);
    this.name = "ScimError";
  }
}

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": SCIM_CONTENT_TYPE, ...headers } });
}

export function scimErrorResponse(status: number, detail: string, scimType?: string): Response {
  return scimJson({ schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail }, status);
}
