// awsQuery wire format (IAM, STS): form-encoded parameters in, XML out. The
// installed SDK clients (client-iam / client-sts, AwsQueryProtocol) and boto3 /
// AWS CLI all send the same classic shape: Action=..&Version=..&List.member.N=..
import { AwsError } from "./errors";
import type { AwsResponse } from "./wire";

export type Params = Record<string, string>;

/** Merges query-string and form-body parameters (GET-style query calls are legal too). */
export function parseQueryParams(query: URLSearchParams, body: string, contentType: string | undefined): Params {
  const out: Params = {};
  for (const [k, v] of query) out[k] = v;
  if (body && (!contentType || contentType.includes("x-www-form-urlencoded"))) {
    for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  }
  return out;
}

/** Reads `Name.member.1`, `Name.member.2`, ... in index order. */
export function listParam(params: Params, name: string): string[] {
  const prefix = `${name}.member.`;
  return Object.keys(params)
    .filter((k) => k.startsWith(prefix) && /^\d+$/.test(k.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((k) => params[k]!);
}

export function tagsParam(params: Params, name = "Tags"): { Key: string; Value: string }[] {
  const prefix = `${name}.member.`;
  const indexes = new Set<number>();
  for (const k of Object.keys(params)) {
    const m = k.startsWith(prefix) ? /^(\d+)\.Key$/.exec(k.slice(prefix.length)) : null;
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes].sort((a, b) => a - b).map((i) => ({
    Key: params[`${prefix}${i}.Key`]!,
    Value: params[`${prefix}${i}.Value`] ?? "",
  }));
}

/** IAM answers a missing required parameter with ValidationError (not InvalidParameterValue). */
export function required(params: Params, name: string): string {
  const v = params[name];
  if (v === undefined || v === "") {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      400,
    );
  }
  return v;
}

export function intParam(params: Params, name: string, min: number, max: number): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (!Number.isInteger(n)) throw new AwsError("ValidationError", `Value '${raw}' at '${member}' is not a valid integer`, 400);
  if (n < min || n > max) {
    const bound = n < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${raw}' at '${member}' failed to satisfy constraint: Member must have value ${bound}`,
      400,
    );
  }
  return n;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** XML for awsQuery: arrays become <member> lists, undefined is omitted, Dates ISO-8601 without millis. */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlValue[] | { [k: string]: XmlValue };

export function isoSeconds(d: Date | string): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml("member", v)).join("")}</${name}>`;
  if (value instanceof Date) return `<${name}>${isoSeconds(value)}</${name}>`;
  if (typeof value === "object") {
    return `<${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join("")}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function queryResult(
  action: string,
  xmlns: string,
  requestId: string,
  result?: Record<string, XmlValue>,
): AwsResponse {
  const inner = result === undefined ? "" : toXml(`${action}Result`, result);
  return {
    status: 200,
    contentType: "text/xml",
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">${inner}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`,
  };
}

export function queryError(err: AwsError, xmlns: string, requestId: string): AwsResponse {
  return {
    status: err.status,
    contentType: "text/xml",
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error>` +
      `<Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
      `</Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`,
  };
}
