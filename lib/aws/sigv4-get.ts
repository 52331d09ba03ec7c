// AWS Signature Version 4 for a GET without a body or query, as
// @smithy/signature-v4 computes it (tests/scan/sigv4-get.test.ts checks every
// signature against it over random paths, dates and credentials). The library
// re-derives a cache key with an HMAC of the secret and copies the request on
// every call; the scanner signs one GET per association, so this keeps the
// day's signing key per identity (key id, secret and session token) and signs
// with one SHA-256 and one HMAC. Signed headers: host, x-amz-date and, with temporary credentials,
// x-amz-security-token.
import { createHash, createHmac } from "node:crypto";
import type { AwsCredentialIdentity } from "@aws-sdk/types";

const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

/** encodeURIComponent plus the four characters RFC 3986 reserves that it leaves alone, as SigV4 escapes them. */
export const escapeUri = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical URI of SigV4 with path escaping on (every service but S3): segments normalized, then encoded again. */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

// A canonical header value, as the library forms it: line breaks made spaces, runs of spaces and tabs made one, one space trimmed at each end.
const headerValue = (v: string) => v.replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").replace(/^ | $/g, "");

const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

export interface SignedGet {
  authorization: string;
  "x-amz-date": string;
  "x-amz-security-token"?: string;
}

export class GetSigner {
  // The day's key per identity (the SDK's credential provider may hand out a new object for the same keys).
  private readonly keys = new Map<string, { day: string; key: Buffer }>();

  constructor(
    private readonly region: string,
    private readonly service: string,
  ) {}

  private signingKey(credentials: AwsCredentialIdentity, day: string): Buffer {
    const id = `${credentials.accessKeyId}\0${credentials.secretAccessKey}\0${credentials.sessionToken ?? ""}`;
    const kept = this.keys.get(id);
    if (kept?.day === day) return kept.key;
    const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), this.region), this.service), "aws4_request");
    // Rotated credentials leave old entries behind: a few at most per client.
    if (this.keys.size >= 8) this.keys.clear();
    this.keys.set(id, { day, key });
    return key;
  }

  /** The headers that sign `GET https://host/path` at `date`. `host` as sent in the Host header (with the port, if any). */
  sign(credentials: AwsCredentialIdentity, host: string, path: string, date: Date): SignedGet {
    const longDate = date.toISOString().replace(/[-:]|\.\d{3}/g, ""); // 20261202T003000Z
    const day = longDate.slice(0, 8);
    const token = credentials.sessionToken;
    const signedHeaders = token ? "host;x-amz-date;x-amz-security-token" : "host;x-amz-date";
    const canonicalHeaders = `host:${headerValue(host)}\nx-amz-date:${longDate}\n${token ? `x-amz-security-token:${headerValue(token)}\n` : ""}`;
    const canonicalRequest = `GET\n${canonicalPath(path)}\n\n${canonicalHeaders}\n${signedHeaders}\n${EMPTY_SHA256}`;
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${createHash("sha256").update(canonicalRequest, "utf8").digest("hex")}`;
    const signature = createHmac("sha256", this.signingKey(credentials, day)).update(stringToSign, "utf8").digest("hex");
    return {
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      "x-amz-date": longDate,
      ...(token ? { "x-amz-security-token": token } : {}),
    };
  }
}
