// EKS authentication of the Kubernetes API: the bearer token is
// "k8s-aws-v1." + base64url(presigned STS GetCallerIdentity URL). EKS hands the
// URL to STS with the header "x-k8s-aws-id: <its cluster name>" added; STS
// checks the SigV4 signature, so a token signed for another cluster (or with a
// wrong secret) fails. Here the sandbox plays STS: it recomputes the signature
// with the secret it knows for the access key (sandbox/aws/accounts.ts). Tokens
// live 15 minutes from their X-Amz-Date, whatever X-Amz-Expires says (as EKS).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Accounts, Caller } from "../aws/accounts";

export const TOKEN_PREFIX = "k8s-aws-v1.";
export const TOKEN_LIFETIME_MS = 15 * 60_000;
/** Clock skew EKS tolerates for a token dated in the future. */
const MAX_SKEW_MS = 5 * 60_000;
const STS_HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

/** Why a token was refused; never sent to the client (EKS answers a bare 401). */
export class TokenRejected extends Error {}

class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {}
}

function toBuffer(d: string | Uint8Array | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === "string") return Buffer.from(d, "utf8");
  if (d instanceof ArrayBuffer) return Buffer.from(d);
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

function amzDate(s: string | null): Date {
  const m = s ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) throw new TokenRejected("X-Amz-Date missing or malformed");
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** The caller a token proves, or TokenRejected. */
export async function verifyEksToken(token: string, clusterName: string, accounts: Accounts, now: Date): Promise<Caller> {
  if (!token.startsWith(TOKEN_PREFIX)) throw new TokenRejected("not an EKS token");
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8"));
  } catch {
    throw new TokenRejected("token is not a URL");
  }
  const q = url.searchParams;
  if (url.protocol !== "https:" || !STS_HOST.test(url.hostname) || url.pathname !== "/") throw new TokenRejected(`not an STS URL: ${url.host}`);
  if (q.get("Action") !== "GetCallerIdentity" || q.get("Version") !== "2011-06-15") throw new TokenRejected("not GetCallerIdentity");
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") throw new TokenRejected("unsupported algorithm");
  const signedHeaders = (q.get("X-Amz-SignedHeaders") ?? "").split(";");
  if (!signedHeaders.includes("x-k8s-aws-id")) throw new TokenRejected("x-k8s-aws-id is not signed");
  const scope = (q.get("X-Amz-Credential") ?? "").split("/");
  if (scope.length !== 5 || scope[3] !== "sts" || scope[4] !== "aws4_request") throw new TokenRejected("credential scope is not sts");
  const [accessKeyId, , region] = scope as [string, string, string];
  const signedAt = amzDate(q.get("X-Amz-Date"));
  const expires = Number(q.get("X-Amz-Expires"));
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800) throw new TokenRejected("X-Amz-Expires invalid");
  if (now.getTime() > signedAt.getTime() + TOKEN_LIFETIME_MS) throw new TokenRejected("token expired");
  if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS) throw new TokenRejected("token dated in the future");

  const secret = accounts.secretFor(accessKeyId);
  if (!secret) throw new TokenRejected(`unknown access key ${accessKeyId}`);
  if ((q.get("X-Amz-Security-Token") ?? undefined) !== secret.sessionToken) throw new TokenRejected("security token does not match the access key");

  const query: Record<string, string> = {};
  for (const [k, v] of q) if (!k.startsWith("X-Amz-")) query[k] = v;
  const signer = new SignatureV4({
    service: "sts",
    region,
    sha256: Sha256,
    credentials: { accessKeyId, secretAccessKey: secret.secretAccessKey, ...(secret.sessionToken ? { sessionToken: secret.sessionToken } : {}) },
  });
  const expected = await signer.presign(
    // The cluster header is the one of the cluster asked, not anything the token claims.
    { method: "GET", protocol: "https:", hostname: url.hostname, path: "/", query, headers: { host: url.host, "x-k8s-aws-id": clusterName } },
    { signingDate: signedAt, expiresIn: expires },
  );
  const want = Buffer.from(String(expected.query?.["X-Amz-Signature"] ?? ""));
  const got = Buffer.from(q.get("X-Amz-Signature") ?? "");
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw new TokenRejected("signature does not match");
  if (String(expected.query?.["X-Amz-SignedHeaders"]) !== q.get("X-Amz-SignedHeaders")) throw new TokenRejected("signed headers differ");
  return secret.caller;
}
