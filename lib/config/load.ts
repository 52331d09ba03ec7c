import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  ConfigError,
  fileConfigSchema,
  roleArnSchema,
  targetSchema,
  type AppConfig,
  type ScanRetention,
  type Target,
} from "./schema";
import { loadOidcConfig, parsePublicUrl } from "./oidc";
import { parseCidr } from "./cidr";
import { auditSettingsFromEnv, requireAuditKey } from "./audit";
import { reviewSettingsFromEnv } from "./reviews";

/** Sandbox mode watches the demo fleet: the Domino account, and the data-lake account through STS AssumeRole. */
const SANDBOX_TARGETS: Target[] = [
  { accountId: "111122223333", region: "us-east-1", clusters: ["*"] },
  { accountId: "444455556666", region: "us-east-1", clusters: ["*"], assumeRoleArn: "arn:aws:iam::444455556666:role/rolegate-reader" },
  // The sandbox's placement clusters (Auto Mode, self-managed agent, Fargate, Windows).
  { accountId: "111122223333", region: "us-west-2", clusters: ["*"] },
];

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`).join("; ");
}

/** ROLEGATE_TARGETS="111122223333/us-east-1/*,444455556666/eu-west-1/green+blue" */
function parseTargetsEnv(value: string): Target[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [accountId, region, clusters, ...rest] = entry.split("/");
      if (!accountId || !region || rest.length) {
        throw new ConfigError("ROLEGATE_TARGETS", `"${entry}" must look like <account>/<region>/<cluster>[+<cluster>...] or <account>/<region>/*`);
      }
      const parsed = targetSchema.safeParse({ accountId, region, clusters: (clusters || "*").split("+") });
      if (!parsed.success) throw new ConfigError("ROLEGATE_TARGETS", `"${entry}": ${issues(parsed.error)}`);
      return parsed.data;
    });
}

/** ROLEGATE_ASSUME_ROLES="444455556666=arn:aws:iam::444455556666:role/RoleGateReader,..." */
function parseAssumeRolesEnv(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [account, arn] = entry.split("=");
    if (!account || !/^\d{12}$/.test(account) || !arn || !roleArnSchema.safeParse(arn).success) {
      throw new ConfigError("ROLEGATE_ASSUME_ROLES", `"${entry}" must look like <12-digit account>=<role ARN>`);
    }
    map.set(account, arn);
  }
  return map;
}

/** Settings that mean "this is a real deployment": with none of them and no targets, the quick start's sandbox. */
const DEPLOYMENT_SETTINGS = [
  "DATABASE_URL",
  "ROLEGATE_OIDC_ISSUER",
  "ROLEGATE_OIDC_CLIENT_ID",
  "ROLEGATE_OIDC_CLIENT_SECRET",
  "ROLEGATE_ROLE_MAP",
  "ROLEGATE_PUBLIC_URL",
  "ROLEGATE_SCIM_TOKEN",
] as const;

/**
 * Sandbox mode (demo sign-in, `Bearer sandbox-root`) must never be what a real
 * deployment falls into: it is chosen explicitly (ROLEGATE_MODE=sandbox or the
 * file's "mode") or when nothing at all is configured (the README quick start).
 * Targets mean aws mode. A database or SSO without targets or a mode is a
 * half-configured deployment: stop and say which settings were seen.
 */
function decideMode(env: Record<string, string | undefined>, fileMode: string | undefined, hasTargets: boolean): AppConfig["mode"] {
  const explicit = env.ROLEGATE_MODE || fileMode;
  if (explicit) {
    if (explicit !== "sandbox" && explicit !== "aws") throw new ConfigError("ROLEGATE_MODE", `"${explicit}" must be "sandbox" or "aws"`);
    return explicit;
  }
  if (hasTargets) return "aws";
  const seen = DEPLOYMENT_SETTINGS.filter((k) => env[k]);
  if (seen.length) {
    throw new ConfigError(
      "ROLEGATE_MODE",
      `${seen.join(", ")} ${seen.length === 1 ? "is" : "are"} set but neither ROLEGATE_TARGETS nor ROLEGATE_MODE is: ` +
        "set ROLEGATE_TARGETS (or ROLEGATE_CONFIG) to watch real AWS accounts (aws mode), or ROLEGATE_MODE=sandbox to run the demo sandbox on purpose " +
        "(sandbox mode lets anyone sign in as a demo admin)",
    );
  }
  return "sandbox";
}

/** Sandbox mode listens on loopback only unless ROLEGATE_LISTEN_HOST says otherwise (HOSTNAME is set by every container runtime, so it does not count). */
function listenHost(env: Record<string, string | undefined>, mode: AppConfig["mode"]): string {
  const explicit = env.ROLEGATE_LISTEN_HOST?.trim();
  if (explicit) {
    if (!/^[\w.:-]{1,253}$/.test(explicit)) throw new ConfigError("ROLEGATE_LISTEN_HOST", `"${explicit}" is not a host name or IP address`);
    return explicit;
  }
  return mode === "sandbox" ? "127.0.0.1" : env.HOSTNAME || "0.0.0.0";
}

/** ROLEGATE_TRUSTED_PROXIES="10.0.0.0/8,192.168.1.10": the only peers whose X-Forwarded-For is believed. */
function parseTrustedProxies(value: string | undefined): string[] {
  const out: string[] = [];
  for (const entry of (value ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!parseCidr(entry)) throw new ConfigError("ROLEGATE_TRUSTED_PROXIES", `"${entry}" must be an IP address or CIDR block (e.g. 10.0.0.0/8, fd00::/8)`);
    out.push(entry);
  }
  return out;
}

export const DEFAULT_TOKEN_MAX_DAYS = 90;

/** A whole number of `unit` within [min, max]; `fallback` when unset. */
function parseWholeNumber(value: string | undefined, setting: string, unit: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(setting, `"${value}" must be a whole number of ${unit} from ${min} to ${max}`);
  return n;
}

/** ROLEGATE_TOKEN_MAX_DAYS: the longest lifetime an API token may be created with (default 90). */
function parseTokenMaxDays(value: string | undefined): number {
  return parseWholeNumber(value, "ROLEGATE_TOKEN_MAX_DAYS", "days", 1, 365, DEFAULT_TOKEN_MAX_DAYS);
}

/** ROLEGATE_SCIM_TOKEN: the bearer secret the IdP's SCIM client presents; SCIM is off without it. */
function parseScimToken(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (value.length < 32 || /\s/.test(value)) {
    throw new ConfigError("ROLEGATE_SCIM_TOKEN", "must be at least 32 characters without spaces (e.g. `openssl rand -base64 48`)");
  }
  return value;
}

/**
 * ROLEGATE_SIGN_IN_LIMIT_PER_IP: sign-in attempts one client address may make per
 * five minutes (default 60). Raise it when many people sign in through one address
 * (an office's NAT, a corporate proxy not listed in ROLEGATE_TRUSTED_PROXIES).
 */
function parseSignInLimitPerIp(value: string | undefined): number {
  return parseWholeNumber(value, "ROLEGATE_SIGN_IN_LIMIT_PER_IP", "attempts", 5, 100_000, 60);
}

export const DEFAULT_JOB_LEASE_SECONDS = 60;

/**
 * ROLEGATE_JOB_LEASE_SECONDS: a claimed job is renewed every third of this while it
 * runs; a replica that dies keeps its job this long before another claims it.
 */
function parseJobLeaseSeconds(value: string | undefined): number {
  return parseWholeNumber(value, "ROLEGATE_JOB_LEASE_SECONDS", "seconds", 2, 3600, DEFAULT_JOB_LEASE_SECONDS);
}

export const DEFAULT_SCAN_CONCURRENCY = 64;
export const DEFAULT_KUBE_CONCURRENCY = 4;

/**
 * ROLEGATE_SCAN_CONCURRENCY: scan parts (one cluster, one account's IAM) each
 * replica runs at once. The parts of a scan are spread over every replica's job
 * runner; together they should cover the clusters for a scan to take the time of
 * its slowest cluster.
 */
function parseScanConcurrency(value: string | undefined): number {
  return parseWholeNumber(value, "ROLEGATE_SCAN_CONCURRENCY", "parts", 1, 1024, DEFAULT_SCAN_CONCURRENCY);
}

/**
 * ROLEGATE_SCAN_KUBE_CONCURRENCY: clusters whose service accounts and pods each
 * replica reads at once during a scan (default 4). A few at a time keep the
 * clusters' pod lists from crowding out the first Describe calls, whose
 * rate-limited stream sets a scan's length; raise it for clusters with many pods.
 */
export function parseScanKubeConcurrency(value: string | undefined): number {
  return parseWholeNumber(value, "ROLEGATE_SCAN_KUBE_CONCURRENCY", "clusters", 1, 256, DEFAULT_KUBE_CONCURRENCY);
}

export const DEFAULT_SCAN_RETENTION: ScanRetention = { days: 30, minScans: 10 };

/**
 * ROLEGATE_SCAN_RETENTION_DAYS (default 30) and ROLEGATE_SCAN_RETENTION_MIN (default 10):
 * scans older than the days are deleted, except the MIN newest whatever their age
 * (lib/inventory/scan/retention.ts).
 */
function scanRetention(env: Record<string, string | undefined>): ScanRetention {
  return {
    days: parseWholeNumber(env.ROLEGATE_SCAN_RETENTION_DAYS, "ROLEGATE_SCAN_RETENTION_DAYS", "days", 1, 36_500, DEFAULT_SCAN_RETENTION.days),
    minScans: parseWholeNumber(env.ROLEGATE_SCAN_RETENTION_MIN, "ROLEGATE_SCAN_RETENTION_MIN", "scans", 1, 100_000, DEFAULT_SCAN_RETENTION.minScans),
  };
}

/** ROLEGATE_EVENTS_QUEUE_URL (+ ROLEGATE_EVENTS_WAIT_SECONDS); sandbox mode: the sandbox's events queue by default. */
function eventsSettings(env: Record<string, string | undefined>, sandboxAwsEndpoint?: string): AppConfig["events"] {
  const raw = env.ROLEGATE_EVENTS_QUEUE_URL?.trim();
  const waitSeconds = parseWholeNumber(env.ROLEGATE_EVENTS_WAIT_SECONDS, "ROLEGATE_EVENTS_WAIT_SECONDS", "seconds", 1, 20, 20);
  if (raw === "off") return undefined;
  if (!raw) return sandboxAwsEndpoint ? { queueUrl: `${sandboxAwsEndpoint.replace(/\/$/, "")}/${SANDBOX_TARGETS[0]!.accountId}/rolegate-events`, waitSeconds } : undefined;
  if (!/^https?:\/\/[^/]+\/\d{12}\/[A-Za-z0-9_-]{1,80}$/.test(raw)) {
    throw new ConfigError("ROLEGATE_EVENTS_QUEUE_URL", `"${raw}" must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/111122223333/rolegate-events (or "off")`);
  }
  return { queueUrl: raw, waitSeconds };
}

function parseFlag(value: string | undefined, setting: string): boolean {
  const v = value?.trim().toLowerCase();
  if (!v || v === "false" || v === "0") return false;
  if (v === "true" || v === "1") return true;
  throw new ConfigError(setting, `"${value}" must be true or false`);
}

function parsePort(value: string | undefined, setting: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(setting, `"${value}" is not a TCP port (1-65535)`);
  return n;
}

/** ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY: a managed policy ARN every create-role item must name as its boundary. */
function requiredBoundary(value: string | undefined): { requiredPermissionsBoundary?: string } {
  const v = value?.trim();
  if (!v) return {};
  if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/.test(v)) {
    throw new ConfigError("ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY", `"${v}" must be a managed policy ARN (e.g. arn:aws:iam::111122223333:policy/WorkloadBoundary)`);
  }
  return { requiredPermissionsBoundary: v };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  let fileTargets: Target[] | undefined;
  let fileMode: AppConfig["mode"] | undefined;
  if (env.ROLEGATE_CONFIG) {
    const file = path.resolve(env.ROLEGATE_CONFIG);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new ConfigError("ROLEGATE_CONFIG", `cannot read ${file} as JSON (${(e as Error).message})`);
    }
    const parsed = fileConfigSchema.safeParse(json);
    if (!parsed.success) throw new ConfigError(`ROLEGATE_CONFIG (${file})`, issues(parsed.error));
    fileTargets = parsed.data.targets;
    fileMode = parsed.data.mode;
  }
  const envTargets = env.ROLEGATE_TARGETS ? parseTargetsEnv(env.ROLEGATE_TARGETS) : undefined;

  if (env.DATABASE_URL && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
    throw new ConfigError("DATABASE_URL", "must be a postgres:// or postgresql:// connection URL");
  }
  const modeValue = decideMode(env, fileMode, Boolean(fileTargets || envTargets));
  let targets = envTargets ?? fileTargets ?? (modeValue === "sandbox" ? SANDBOX_TARGETS : undefined);
  if (!targets) {
    throw new ConfigError("ROLEGATE_TARGETS", "aws mode needs the accounts and regions to watch: set ROLEGATE_TARGETS or ROLEGATE_CONFIG");
  }
  if (env.ROLEGATE_ASSUME_ROLES) {
    const roles = parseAssumeRolesEnv(env.ROLEGATE_ASSUME_ROLES);
    targets = targets.map((t) => ({ ...t, assumeRoleArn: roles.get(t.accountId) ?? t.assumeRoleArn }));
  }
  const migrationUrl = env.ROLEGATE_MIGRATION_DATABASE_URL || undefined;
  if (migrationUrl && (!env.DATABASE_URL || !/^postgres(ql)?:\/\//.test(migrationUrl))) {
    throw new ConfigError("ROLEGATE_MIGRATION_DATABASE_URL", "must be a postgres:// connection URL of the schema owner, used with DATABASE_URL (the app's role)");
  }
  const config: AppConfig = {
    mode: modeValue,
    targets,
    database: { url: env.DATABASE_URL || undefined, dataDir: env.ROLEGATE_DATA_DIR || ".data", ...(migrationUrl ? { migrationUrl } : {}) },
    audit: auditSettingsFromEnv(env),
    server: { port: parsePort(env.PORT, "PORT", 3000), host: listenHost(env, modeValue) },
    trustedProxies: parseTrustedProxies(env.ROLEGATE_TRUSTED_PROXIES),
    tokenMaxDays: parseTokenMaxDays(env.ROLEGATE_TOKEN_MAX_DAYS),
    signInLimitPerIp: parseSignInLimitPerIp(env.ROLEGATE_SIGN_IN_LIMIT_PER_IP),
    ...requiredBoundary(env.ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY),
    reviews: reviewSettingsFromEnv(env),
    jobs: { leaseMs: parseJobLeaseSeconds(env.ROLEGATE_JOB_LEASE_SECONDS) * 1000, scanConcurrency: parseScanConcurrency(env.ROLEGATE_SCAN_CONCURRENCY), scanKubeConcurrency: parseScanKubeConcurrency(env.ROLEGATE_SCAN_KUBE_CONCURRENCY) },
    scanRetention: scanRetention(env),
  };
  const scimToken = parseScimToken(env.ROLEGATE_SCIM_TOKEN);
  if (scimToken) config.scim = { token: scimToken };
  const publicUrl = parsePublicUrl(env.ROLEGATE_PUBLIC_URL);
  if (publicUrl) config.publicUrl = publicUrl;
  const oidc = loadOidcConfig(env, publicUrl);
  if (oidc) config.oidc = oidc;
  if (modeValue === "sandbox") {
    const aws = env.ROLEGATE_SANDBOX_AWS_ENDPOINT || "http://127.0.0.1:4566";
    const kube = env.ROLEGATE_SANDBOX_KUBE_ENDPOINT || "http://127.0.0.1:4567";
    for (const [setting, url] of [["ROLEGATE_SANDBOX_AWS_ENDPOINT", aws], ["ROLEGATE_SANDBOX_KUBE_ENDPOINT", kube]] as const) {
      if (!/^https?:\/\/[^/]+/.test(url)) throw new ConfigError(setting, `"${url}" must be an http(s) URL`);
    }
    const external = parseFlag(env.ROLEGATE_SANDBOX_EXTERNAL, "ROLEGATE_SANDBOX_EXTERNAL");
    if (external && !(env.ROLEGATE_SANDBOX_AWS_ENDPOINT && env.ROLEGATE_SANDBOX_KUBE_ENDPOINT)) {
      throw new ConfigError("ROLEGATE_SANDBOX_EXTERNAL", "needs ROLEGATE_SANDBOX_AWS_ENDPOINT and ROLEGATE_SANDBOX_KUBE_ENDPOINT: where the running sandbox listens");
    }
    config.sandbox = { awsEndpoint: aws, kubeEndpoint: kube, kubeconfigPath: env.ROLEGATE_SANDBOX_KUBECONFIG, ...(external ? { external } : {}) };
    const events = eventsSettings(env, aws);
    if (events) config.events = events;
  } else {
    for (const setting of ["ROLEGATE_SANDBOX_AWS_ENDPOINT", "ROLEGATE_SANDBOX_EXTERNAL"] as const) {
      if (env[setting]) throw new ConfigError(setting, "is only allowed in sandbox mode (ROLEGATE_MODE=sandbox)");
    }
  }
  if (modeValue !== "sandbox") {
    const events = eventsSettings(env);
    if (events) config.events = events;
  }
  requireAuditKey(config.audit, config.mode);
  return config;
}
