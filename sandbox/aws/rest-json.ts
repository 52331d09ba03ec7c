// restJson1 wire format (EKS). Errors carry their code in x-amzn-ErrorType and
// in the body; the SDK reads either, boto3 prefers the header.
import { AwsError } from "./errors";
import type { AwsResponse } from "./wire";

export function jsonResult(body: unknown, status = 200): AwsResponse {
  return { status, contentType: "application/json", body: JSON.stringify(body) };
}

export function jsonError(err: AwsError): AwsResponse {
  const fields = Object.fromEntries(Object.entries(err.fields).filter(([, v]) => v !== undefined));
  return {
    status: err.status,
    contentType: "application/json",
    headers: { "x-amzn-ErrorType": err.code },
    body: JSON.stringify({ ...fields, message: err.message }),
  };
}

/** restJson1 timestamps without a format trait are epoch seconds (fractional allowed). */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

export function parseJsonBody(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  try {
    const v: unknown = JSON.parse(body);
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw new AwsError("SerializationException", "Could not parse request body into json", 400);
}
