// SCIM 2.0 error responses (RFC 7644 section 3.12): what an IdP's provisioning
// log shows, so the detail says what was wrong and with which attribute.
export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SCIM_CONTENT_TYPE = "application/scim+json";

export type ScimType = "invalidFilter" | "invalidSyntax" | "invalidValue" | "invalidPath" | "noTarget" | "uniqueness" | "mutability" | "tooMany";

export class ScimError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 413 | 500,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": SCIM_CONTENT_TYPE, ...headers } });
}

export function scimErrorResponse(e: ScimError): Response {
  return scimJson({ schemas: [SCIM_ERROR_SCHEMA], status: String(e.status), ...(e.scimType ? { scimType: e.scimType } : {}), detail: e.detail }, e.status);
}
