import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  ConfigError,
  fileConfigSchema,
  roleArnSchema,
  targetSchema,
  type AppConfig,
  type Target,
} from "./schema";
import { loadOidcConfig, parsePublicUrl } from "./oidc";
import { auditSettingsFromEnv, requireAuditKey } from "./audit";

/** Sandbox mode watches the demo fleet: the Domino account, and the data-lake account through STS AssumeRole. */
export const SANDBOX_TARGETS: Target[] = [
  { accountId: "111122223333", region: "us-east-1", clusters: ["*"] },
  { accountId: "444455556666", region: "us-east-1", clusters: ["*"], assumeRoleArn: "arn:aws:iam::444455556666:role/rolegate-reader" },
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

function parsePort(value: string | undefined, setting: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(setting, `"${value}" is not a TCP port (1-65535)`);
  return n;
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

  const modeValue = env.ROLEGATE_MODE || fileMode || (fileTargets || envTargets ? "aws" : "sandbox");
  if (modeValue !== "sandbox" && modeValue !== "aws") {
    throw new ConfigError("ROLEGATE_MODE", `"${modeValue}" must be "sandbox" or "aws"`);
  }
  let targets = envTargets ?? fileTargets ?? (modeValue === "sandbox" ? SANDBOX_TARGETS : undefined);
  if (!targets) {
    throw new ConfigError("ROLEGATE_TARGETS", "aws mode needs the accounts and regions to watch: set ROLEGATE_TARGETS or ROLEGATE_CONFIG");
  }
  if (env.ROLEGATE_ASSUME_ROLES) {
    const roles = parseAssumeRolesEnv(env.ROLEGATE_ASSUME_ROLES);
    targets = targets.map((t) => ({ ...t, assumeRoleArn: roles.get(t.accountId) ?? t.assumeRoleArn }));
  }
  if (env.DATABASE_URL && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
    throw new ConfigError("DATABASE_URL", "must be a postgres:// or postgresql:// connection URL");
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
    server: { port: parsePort(env.PORT, "PORT", 3000), host: env.HOSTNAME || "0.0.0.0" },
  };
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
    config.sandbox = { awsEndpoint: aws, kubeEndpoint: kube, kubeconfigPath: env.ROLEGATE_SANDBOX_KUBECONFIG };
  } else if (env.ROLEGATE_SANDBOX_AWS_ENDPOINT) {
    throw new ConfigError("ROLEGATE_SANDBOX_AWS_ENDPOINT", "is only allowed in sandbox mode (ROLEGATE_MODE=sandbox)");
  }
  requireAuditKey(config.audit, config.mode);
  return config;
}
