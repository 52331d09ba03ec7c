// The EKS token RoleGate mints: format as `aws eks get-token` writes it, and a
// SigV4 signature an independent verifier (the sandbox, as STS) accepts.
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AwsClientPool, EksTokenCache, mintEksToken } from "@/lib/aws";
import { Accounts } from "@/sandbox/aws/accounts";
import { verifyEksToken } from "@/sandbox/kube/eks-token";
import { CallLog, FaultInjector, type SandboxContext } from "@/sandbox/context";
import { buildDemoFleet } from "@/sandbox/seed/fleet";

const AT = new Date("2026-11-27T10:00:00Z");
const CREDS = { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" };

function decode(token: string): URL {
  return new URL(Buffer.from(token.slice("k8s-aws-v1.".length), "base64url").toString("utf8"));
}

function accountsAt(now: Date): Accounts {
  const ctx: SandboxContext = { world: buildDemoFleet(), faults: new FaultInjector(), calls: new CallLog(), now: () => now, changed: () => {} };
  return new Accounts(ctx);
}

describe("mintEksToken", () => {
  it("is k8s-aws-v1. + unpadded base64url of a presigned regional STS GetCallerIdentity URL with x-k8s-aws-id signed", async () => {
    const { token, expiresAt } = await mintEksToken({ clusterName: "domino-green", region: "us-east-1", credentials: CREDS, signingDate: AT });
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = decode(token);
    expect(url.origin).toBe("https://sts.us-east-1.amazonaws.com");
    const q = url.searchParams;
    expect(q.get("Action")).toBe("GetCallerIdentity");
    expect(q.get("Version")).toBe("2011-06-15");
    expect(q.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(q.get("X-Amz-Credential")).toBe("AKIASANDBOXROLEGATE1/20261127/us-east-1/sts/aws4_request");
    expect(q.get("X-Amz-Date")).toBe("20261127T100000Z");
    expect(q.get("X-Amz-Expires")).toBe("60");
    expect(q.get("X-Amz-SignedHeaders")).toBe("host;x-k8s-aws-id");
    expect(q.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(expiresAt.toISOString()).toBe("2026-11-27T10:15:00.000Z");
  });

  it("matches the SigV4 reference signature (the sandbox's independent check accepts it; another secret does not)", async () => {
    const { token } = await mintEksToken({ clusterName: "domino-green", region: "us-east-1", credentials: CREDS, signingDate: AT });
    const caller = await verifyEksToken(token, "domino-green", accountsAt(new Date(AT.getTime() + 60_000)), new Date(AT.getTime() + 60_000));
    expect(caller.arn).toBe("arn:aws:iam::111122223333:user/sandbox-admin");
    const forged = await mintEksToken({ clusterName: "domino-green", region: "us-east-1", credentials: { ...CREDS, secretAccessKey: "guess" }, signingDate: AT });
    await expect(verifyEksToken(forged.token, "domino-green", accountsAt(AT), AT)).rejects.toThrow(/signature does not match/);
  });

  it("carries the session token of temporary credentials and ends no later than they do", async () => {
    const expiration = new Date(AT.getTime() + 5 * 60_000);
    const { token, expiresAt } = await mintEksToken({ clusterName: "c", region: "eu-west-1", credentials: { accessKeyId: "ASIA111122223333ABCD", secretAccessKey: "s", sessionToken: "tok/en+=", expiration }, signingDate: AT });
    expect(decode(token).searchParams.get("X-Amz-Security-Token")).toBe("tok/en+=");
    expect(expiresAt).toEqual(expiration);
  });
});

/** SigV4 for a presigned GET, written out from the AWS specification (no SDK). */
function referenceSignature(url: URL, clusterName: string, secret: string): string {
  const enc = (x: string) => encodeURIComponent(x).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const q = [...url.searchParams].filter(([k]) => k !== "X-Amz-Signature").map(([k, v]) => [enc(k), enc(v)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  const canonical = ["GET", "/", q.map(([k, v]) => `${k}=${v}`).join("&"), `host:${url.host}`, `x-k8s-aws-id:${clusterName}`, "", "host;x-k8s-aws-id", createHash("sha256").update("").digest("hex")].join("\n");
  const date = url.searchParams.get("X-Amz-Date")!;
  const scope = url.searchParams.get("X-Amz-Credential")!.split("/").slice(1).join("/");
  const toSign = ["AWS4-HMAC-SHA256", date, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  const [day, region, service] = scope.split("/") as [string, string, string];
  let key: Buffer = createHmac("sha256", `AWS4${secret}`).update(day).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  return createHmac("sha256", key).update(toSign).digest("hex");
}

describe("mintEksToken signature", () => {
  it("equals SigV4 computed by hand from the specification, and changes with the cluster header", async () => {
    const { token } = await mintEksToken({ clusterName: "domino-green", region: "us-east-1", credentials: CREDS, signingDate: AT });
    const url = decode(token);
    expect(url.searchParams.get("X-Amz-Signature")).toBe(referenceSignature(url, "domino-green", "sandbox"));
    expect(url.searchParams.get("X-Amz-Signature")).not.toBe(referenceSignature(url, "domino-blue", "sandbox"));
  });
});

describe("EksTokenCache", () => {
  it("reuses a token per cluster and renews it a minute before its 15 minutes end", async () => {
    let now = AT;
    const pool = new AwsClientPool({ endpoint: "http://127.0.0.1:9" });
    const cache = new EksTokenCache(pool, () => now);
    const location = { accountId: "111122223333", region: "us-east-1" };
    const first = await cache.tokenFor(location, "domino-green");
    expect((await cache.tokenFor(location, "domino-green")).token).toBe(first.token);
    expect((await cache.tokenFor(location, "domino-blue")).token).not.toBe(first.token);
    now = new Date(AT.getTime() + 13 * 60_000 + 59_000);
    expect((await cache.tokenFor(location, "domino-green")).token).toBe(first.token);
    now = new Date(AT.getTime() + 14 * 60_000 + 1_000);
    const renewed = await cache.tokenFor(location, "domino-green");
    expect(renewed.token).not.toBe(first.token);
    expect(decode(renewed.token).searchParams.get("X-Amz-Date")).toBe("20261127T101401Z");
    pool.destroy();
  });
});
