// The browser run's log check (e2e/log-secrets.teardown.ts) as a scan: each kind
// of secret, planted in a line shaped like the app's log, is caught; a clean log
// passes. The AWS credentials and the EKS token are real ones: issued by the
// sandbox's STS to RoleGate's client pool and minted by lib/aws.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEksToken } from "@/lib/aws";
import { issuedCredentials, knownSecrets, secretsInLog } from "@/e2e/log-secret-scan";
import { TEST_AUDIT_KEY } from "../support/test-audit-key";
import { useWorld } from "../support/world";

const w = useWorld({ database: false, sandbox: true, reset: "once" });
const LAKE = { accountId: "444455556666", region: "us-east-1", assumeRoleArn: "arn:aws:iam::444455556666:role/rolegate-reader" };

const request = (extra = "") => `{"level":"info","time":"2026-12-01T14:31:41.326Z","service":"rolegate","requestId":"3f1c9a2e-5b7d-4c1e-9a0b-1d2e3f4a5b6c","route":"/requests/[id]","method":"GET","status":200,"durationMs":12,"actor":"alice","msg":"request"${extra}}`;
const CLEAN = [
  "Database: Postgres postgresql://rolegate:***@db.internal:5432/rolegate (18 migration(s) applied now, 0 before)",
  "Audit: chain keyed with ROLEGATE_AUDIT_KEY (key id c5168d934545e2fa); signed checkpoints every 60 min to /data/audit-checkpoints.jsonl",
  request(),
  request(',"roleArn":"arn:aws:iam::111122223333:role/rolegate/RoleGateAccess","hash":"9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c2e4a6c8e0b2d4f6a8c0e2a4c6e8a0b2d"'),
].join("\n");

let record = "";
let dir = "";
let issued: { secretAccessKey: string; sessionToken?: string; accessKeyId: string };
let eksToken = "";

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-log-scan-"));
  record = path.join(dir, "issued.jsonl");
  process.env.ROLEGATE_SANDBOX_CREDENTIALS_RECORD = record;
  issued = await w.pool.credentialsFor(LAKE);
  eksToken = (await mintEksToken({ clusterName: "domino-blue", region: "us-east-1", credentials: issued })).token;
});
afterAll(() => {
  delete process.env.ROLEGATE_SANDBOX_CREDENTIALS_RECORD;
  rmSync(dir, { recursive: true, force: true });
});

describe("the app log's secret scan", () => {
  const env = {
    ROLEGATE_OIDC_CLIENT_SECRET: "rolegate-e2e-oidc-client-secret-7f3a",
    ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY,
    ROLEGATE_METRICS_TOKEN: "metrics-token-0123456789abcdef",
    ROLEGATE_SCIM_TOKEN: "scim-token-fedcba9876543210",
    DATABASE_URL: "postgresql://rolegate:s3cret%2Fpass%40word@db.internal:5432/rolegate",
  };
  const known = () => [...knownSecrets(env), ...issuedCredentials(readFileSync(record, "utf8"))];

  it("passes a log of JSON request lines, a redacted database URL, key ids and hashes", () => {
    expect(secretsInLog(CLEAN, known())).toEqual([]);
  });

  it("catches each configured secret verbatim: OIDC client secret, audit key and its subkeys, metrics and SCIM tokens, the database password (encoded or not)", async () => {
    const { deriveAuditKey } = await import("@/lib/audit/key");
    const derived = deriveAuditKey(TEST_AUDIT_KEY, "test");
    const planted: [string, string][] = [
      [request(`,"err":"token exchange failed: client_secret=${env.ROLEGATE_OIDC_CLIENT_SECRET}"`), "the OIDC client secret"],
      [request(`,"config":{"auditKey":"${TEST_AUDIT_KEY}"}`), "the audit key (ROLEGATE_AUDIT_KEY)"],
      [request(`,"chainKey":"${derived.chain.toString("hex")}"`), "the audit chain's HMAC subkey"],
      [request(`,"signingKey":"${derived.checkpoint.toString("hex")}"`), "the audit checkpoints' HMAC subkey"],
      [`metrics scrape refused: expected ${env.ROLEGATE_METRICS_TOKEN}`, "the metrics token (ROLEGATE_METRICS_TOKEN)"],
      [request(`,"scim":"${env.ROLEGATE_SCIM_TOKEN}"`), "the SCIM token (ROLEGATE_SCIM_TOKEN)"],
      ["Database: Postgres postgresql://rolegate:s3cret%2Fpass%40word@db.internal:5432/rolegate", "the password in DATABASE_URL"],
      ['error: password authentication failed for "s3cret/pass@word"', "the password in DATABASE_URL"],
    ];
    for (const [line, kind] of planted) expect(secretsInLog(`${CLEAN}\n${line}\n`, known()), line).toEqual([kind]);
  });

  it("catches the AWS credentials the sandbox's STS issued, bare or printed as an object, and the EKS token made from them", () => {
    expect(issued.accessKeyId).toMatch(/^ASIA444455556666/);
    const credentialsObject = inspect({ accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken });
    const url = Buffer.from(eksToken.slice("k8s-aws-v1.".length), "base64url").toString("utf8");
    const planted: [string, string[]][] = [
      [`AssumeRole answered ${issued.secretAccessKey}`, ["an AWS secret access key the sandbox's STS issued"]],
      [`session ${issued.sessionToken}`, ["an AWS session token the sandbox's STS issued", "an AWS session token"]],
      [`credentials ${credentialsObject}`, ["an AWS secret access key the sandbox's STS issued", "an AWS session token the sandbox's STS issued", "an AWS secret access key", "an AWS session token"]],
      [request(`,"authorization":"Bearer ${eksToken}"`), ["an EKS bearer token (k8s-aws-v1.)", "an Authorization bearer credential"]],
      [`kube token ${eksToken}`, ["an EKS bearer token (k8s-aws-v1.)"]],
      [`GET ${url}`, ["an AWS session token the sandbox's STS issued", "credentials of a presigned AWS URL (X-Amz-Signature / X-Amz-Security-Token)", "an AWS session token"]],
    ];
    for (const [line, kinds] of planted) expect(secretsInLog(`${CLEAN}\n${line}\n`, known()).sort(), line).toEqual([...kinds].sort());
  });

  it("catches credentials minted where nothing records them by their shape: API tokens, session cookies, OAuth codes, AWS keys with their name", () => {
    const planted: [string, string][] = [
      [request(',"token":"rg_3kT9xQ2mVb7LpZ4nR8sW1yC6dF0hJ5gK-aE_uIoPqXz"'), "an API token (rg_...)"],
      [request(',"cookie":"rolegate_session=Zm9vYmFyYmF6"'), "a session cookie"],
      [request(',"url":"/api/auth/oidc/callback?state=abc&code=SplxlOBeZQQYbYS6WxSbIA"'), "an OAuth authorization code"],
      ["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "an AWS secret access key"],
      ['{"SessionToken":"FwoGZXIvYXdzEBYaDFakeSessionTokenValue0123"}', "an AWS session token"],
      [request(',"headers":{"authorization":"Bearer 4f9a1c7e2b8d3f6a0c5e9b1d7f3a8c2e"}'), "an Authorization bearer credential"],
    ];
    for (const [line, kind] of planted) expect(secretsInLog(`${CLEAN}\n${line}\n`, []), line).toEqual([kind]);
  });

  it("knows the generated audit key from the data dir when ROLEGATE_AUDIT_KEY is unset, and ignores values too short to search for", () => {
    const generated = "a".repeat(16) + "0123456789abcdef".repeat(3);
    const fromFile = knownSecrets({}, `${generated}\n`);
    expect(fromFile.find((k) => k.name.startsWith("the audit key"))).toEqual({ name: "the audit key (the generated audit.key)", value: generated });
    expect(secretsInLog(`key ${generated}`, fromFile)).toContain("the audit key (the generated audit.key)");
    expect(knownSecrets({}).map((k) => k.value).filter(Boolean)).toEqual([]);
    expect(secretsInLog("user pw in the log", knownSecrets({ DATABASE_URL: "postgresql://u:pw@h/db" }))).toEqual([]);
  });
});
