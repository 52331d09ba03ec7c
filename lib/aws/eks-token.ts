// The EKS bearer token, minted as `aws eks get-token` does: a GetCallerIdentity
// URL presigned (SigV4, service sts) with the header "x-k8s-aws-id: <cluster>"
// signed, base64url without padding, prefixed "k8s-aws-v1.". EKS hands the URL
// to STS to learn who signed it; the cluster header stops a token for one
// cluster from being replayed against another. EKS accepts a token for 15
// minutes after X-Amz-Date (X-Amz-Expires=60 is what the CLI writes, and is
// ignored), so the cache renews a token a minute before that.
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import type { AwsClientPool } from "./clients";
import { escapeUri } from "./sigv4-get";
import type { AwsLocation } from "./types";

export const EKS_TOKEN_PREFIX = "k8s-aws-v1.";
export const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
/** Renew this long before EKS would stop accepting a token. */
const RENEW_BEFORE_MS = 60_000;

type Data = string | Uint8Array | ArrayBuffer | ArrayBufferView;
const toBuffer = (d: Data): Buffer =>
  typeof d === "string" ? Buffer.from(d, "utf8") : d instanceof ArrayBuffer ? Buffer.from(d) : Buffer.from(d.buffer, d.byteOffset, d.byteLength);

/** SHA-256 / HMAC-SHA-256 from node:crypto in the shape @smithy/signature-v4 asks for. */
class NodeSha256 {
  private hash;
  constructor(private readonly secret?: Data) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: Data): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(this.secret));
  }
}


export interface EksToken {
  token: string;
  /** When EKS stops accepting it (15 minutes after signing, or the credentials' own expiry if sooner). */
  expiresAt: Date;
}

/** Mints one token. `signingDate` is for tests; the regional STS host is what the CLI uses today. */
export async function mintEksToken(input: { clusterName: string; region: string; credentials: AwsCredentialIdentity; signingDate?: Date }): Promise<EksToken> {
  const hostname = `sts.${input.region}.amazonaws.com`;
  const signingDate = input.signingDate ?? new Date();
  const signer = new SignatureV4({ service: "sts", region: input.region, credentials: input.credentials, sha256: NodeSha256 });
  const signed = await signer.presign(
    { method: "GET", protocol: "https:", hostname, path: "/", query: { Action: "GetCallerIdentity", Version: "2011-06-15" }, headers: { host: hostname, "x-k8s-aws-id": input.clusterName } },
    { expiresIn: 60, signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${escapeUri(k)}=${escapeUri(String(x))}`))
    .join("&");
  const url = `https://${hostname}/?${query}`;
  const lifetimeEnd = signingDate.getTime() + EKS_TOKEN_LIFETIME_MS;
  const credentialsEnd = input.credentials.expiration?.getTime() ?? Infinity;
  return { token: EKS_TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64url"), expiresAt: new Date(Math.min(lifetimeEnd, credentialsEnd)) };
}

/** Tokens per cluster and credentials, renewed a minute before they lapse; concurrent callers share one mint. */
export class EksTokenCache {
  private tokens = new Map<string, EksToken>();
  private pending = new Map<string, Promise<EksToken>>();

  constructor(
    private readonly pool: AwsClientPool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async tokenFor(location: AwsLocation, clusterName: string): Promise<EksToken> {
    const key = `${location.accountId}/${location.region}/${location.assumeRoleArn ?? ""}/${clusterName}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt.getTime() - this.now().getTime() > RENEW_BEFORE_MS) return cached;
    let p = this.pending.get(key);
    if (!p) {
      p = this.pool
        .credentialsFor(location)
        .then((credentials) => mintEksToken({ clusterName, region: location.region, credentials, signingDate: this.now() }))
        .then((t) => {
          this.tokens.set(key, t);
          return t;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }
}
