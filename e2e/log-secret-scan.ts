// What the app's log must never hold, as a pure scan: e2e/log-secrets.teardown.ts
// feeds it the log of a browser run and the secrets of that run,
// tests/observability/log-secret-scan.test.ts plants each kind in a fake log line.
//
// Two kinds of finding: a secret whose value the run knows (OIDC client secret,
// audit key and its derived subkeys, metrics and SCIM tokens, database password,
// the temporary AWS keys and session tokens the sandbox's STS recorded handing
// out), found verbatim; and credentials minted where no one records them (API
// tokens, session cookies, OAuth codes, EKS tokens, any AWS key or session token
// printed with its name), found by their shape.
import { deriveAuditKey } from "../lib/audit/key";

export interface KnownSecret {
  /** What it is, for the failure message ("the audit key (ROLEGATE_AUDIT_KEY)"). */
  name: string;
  value: string | undefined;
}

/** Shorter configured values would match innocent text; none of the run's real secrets is this short. */
const MIN_KNOWN_LENGTH = 8;

const SHAPES: [string, RegExp][] = [
  ["an API token (rg_...)", /rg_[A-Za-z0-9_-]{40,}/],
  ["a session cookie", /rolegate_session=/],
  ["an OAuth authorization code", /[?&]code=[^&\s"]{8,}/],
  // lib/aws/eks-token.ts: a presigned STS URL, base64url, behind this prefix.
  ["an EKS bearer token (k8s-aws-v1.)", /k8s-aws-v1\.[A-Za-z0-9_-]{16,}/],
  // The same URL decoded, or any presigned AWS request: its signature and session token.
  ["credentials of a presigned AWS URL (X-Amz-Signature / X-Amz-Security-Token)", /X-Amz-(?:Signature|Security-Token)=[^&\s"]+/i],
  // AWS (and the sandbox's STS, sandbox/aws/accounts.ts) session tokens start with this base64 prefix.
  ["an AWS session token", /IQoJb3JpZ2luX2Vj[A-Za-z0-9+/=]{16,}/],
  // A credentials object or header printed whole: JSON, util.inspect or ini/env form.
  ["an AWS secret access key", /\b(?:secret_?access_?key|aws_secret_access_key)["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{16,}/i],
  ["an AWS session token", /\b(?:session_?token|aws_session_token|x-amz-security-token)["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{16,}/i],
  ["an Authorization bearer credential", /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/],
];

/** The kinds of secret found in the log (empty: none), each named once. */
export function secretsInLog(log: string, known: KnownSecret[]): string[] {
  const found = new Set<string>();
  for (const { name, value } of known) if (value && value.length >= MIN_KNOWN_LENGTH && log.includes(value)) found.add(name);
  for (const [name, shape] of SHAPES) if (shape.test(log)) found.add(name);
  return [...found];
}

/**
 * The secrets an app with this environment holds: what it was given, and the
 * audit key it generated into its data dir when none was given (keyFileText).
 */
export function knownSecrets(env: Record<string, string | undefined>, keyFileText?: string): KnownSecret[] {
  const auditKey = env.ROLEGATE_AUDIT_KEY?.trim() || keyFileText?.trim() || undefined;
  const out: KnownSecret[] = [
    { name: "the OIDC client secret", value: env.ROLEGATE_OIDC_CLIENT_SECRET },
    { name: "the metrics token (ROLEGATE_METRICS_TOKEN)", value: env.ROLEGATE_METRICS_TOKEN },
    ...databasePassword(env.DATABASE_URL).map((value) => ({ name: "the password in DATABASE_URL", value })),
    { name: "the SCIM token (ROLEGATE_SCIM_TOKEN)", value: env.ROLEGATE_SCIM_TOKEN },
  ];
  if (auditKey) {
    const source = env.ROLEGATE_AUDIT_KEY?.trim() ? "ROLEGATE_AUDIT_KEY" : "the generated audit.key";
    const derived = deriveAuditKey(auditKey, source);
    out.push(
      { name: `the audit key (${source})`, value: auditKey },
      { name: "the audit chain's HMAC subkey", value: derived.chain.toString("hex") },
      { name: "the audit checkpoints' HMAC subkey", value: derived.checkpoint.toString("hex") },
    );
  }
  return out;
}

/**
 * The temporary credentials the sandbox's STS handed out during the run, from its
 * record (ROLEGATE_SANDBOX_CREDENTIALS_RECORD: one JSON object per line).
 */
export function issuedCredentials(recordText: string): KnownSecret[] {
  return recordText
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) => {
      const c = JSON.parse(l) as { secretAccessKey?: string; sessionToken?: string };
      return [
        { name: "an AWS secret access key the sandbox's STS issued", value: c.secretAccessKey },
        { name: "an AWS session token the sandbox's STS issued", value: c.sessionToken },
      ];
    });
}

/** The password as written in the URL (percent-encoded) and as sent to Postgres. */
function databasePassword(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = new URL(url).password;
    return password ? [...new Set([password, decodeURIComponent(password)])] : [];
  } catch {
    return [];
  }
}
