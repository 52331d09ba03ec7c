export type ErrorCode = "unauthenticated" | "forbidden" | "invalid" | "conflict" | "not_found" | "too_large" | "unavailable" | "rate_limited" | "internal";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string; fields?: Record<string, string[]>; reason?: string } };

/** An expected failure in domain code: its message is shown to the user as is; its code picks the HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
    /** A finer, machine-readable reason within the code, for a protocol that names one (SCIM's scimType). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid: 400,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
  rate_limited: 429,
  internal: 500,
};
