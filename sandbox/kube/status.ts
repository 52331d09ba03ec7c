// Kubernetes `Status` failures, shaped like the API server's, plus the JSON
// writer every handler answers through.
import type { ServerResponse } from "node:http";

export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus() {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `<resource> "<name>" not found`, exactly as the API server words it. */
export const notFound = (kind: string, name: string, group = "") =>
  new KubeError(404, "NotFound", `${kind}${group ? "." + group : ""} "${name}" not found`, { name, kind, ...(group ? { group } : {}) });

export const badRequest = (message: string) => new KubeError(400, "BadRequest", message);

export const unauthorized = () => new KubeError(401, "Unauthorized", "Unauthorized");

export const methodNotAllowed = () => new KubeError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

export const pathNotFound = () => new KubeError(404, "NotFound", "the server could not find the requested resource");

export const tooManyRequests = (retryAfterSeconds = 1) =>
  new KubeError(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds }, {
    "Retry-After": String(retryAfterSeconds),
  });

export const serverError = (code: 500 | 503) =>
  code === 503
    ? new KubeError(503, "ServiceUnavailable", "the server is currently unable to handle the request")
    : new KubeError(500, "InternalError", "Internal error occurred: injected fault");

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
