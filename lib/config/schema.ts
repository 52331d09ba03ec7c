// What RoleGate watches and how it reaches it. Every setting is validated here so
// bad configuration stops start-up with a message that names the setting.
import { z } from "zod";

export const accountIdSchema = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, "must be an AWS region such as us-east-1");
export const clusterNameSchema = z
  .string()
  .regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, "must be an EKS cluster name (letters, digits, - and _, up to 100)");
export const roleArnSchema = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");

export const targetSchema = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
  /** Cluster names, or ["*"] for every cluster of the account and region. */
  clusters: z.array(z.union([z.literal("*"), clusterNameSchema])).min(1).default(["*"]),
  /** Role RoleGate assumes to read (and later write) this account; default credentials when absent. */
  assumeRoleArn: roleArnSchema.optional(),
});
export type Target = z.infer<typeof targetSchema>;

export const fileConfigSchema = z
  .object({
    mode: z.enum(["sandbox", "aws"]).optional(),
    targets: z.array(targetSchema).min(1, "list at least one account/region to watch"),
  })
  .strict();

export interface AppConfig {
  mode: "sandbox" | "aws";
  targets: Target[];
  /** migrationUrl: ROLEGATE_MIGRATION_DATABASE_URL, the owner role that runs migrations (default: url). */
  database: { url?: string; dataDir: string; migrationUrl?: string };
  server: { port: number; host: string };
  /** ROLEGATE_TRUSTED_PROXIES: IPs/CIDRs whose X-Forwarded-For is believed (empty: never). */
  trustedProxies: string[];
  /** ROLEGATE_TOKEN_MAX_DAYS: the longest API token lifetime (default 90). */
  tokenMaxDays: number;
  /** ROLEGATE_SIGN_IN_LIMIT_PER_IP: sign-in attempts per client address per five minutes (default 60). */
  signInLimitPerIp: number;
  /** ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY: the managed policy every role created through RoleGate must carry as its permissions boundary. */
  requiredPermissionsBoundary?: string;
  /** ROLEGATE_SCIM_TOKEN: SCIM provisioning is on when set. */
  scim?: { token: string };
  /** ROLEGATE_PUBLIC_URL: where users reach RoleGate (https -> Secure cookies; server-action origin). */
  publicUrl?: string;
  /** Single sign-on through OpenID Connect, when configured (either mode). */
  oidc?: import("./oidc").OidcConfig;
  /** Access reviews' owner groups and unused threshold (lib/config/reviews.ts); absent: none, 90 days. */
  reviews?: import("./reviews").ReviewSettings;
  /** The audit trail's key and checkpoints (lib/config/audit.ts). */
  audit: import("./audit").AuditSettings;
  /** Sandbox endpoints when mode is "sandbox" (filled in by the start-up script); external: ROLEGATE_SANDBOX_EXTERNAL, use the sandbox already running there. */
  sandbox?: { awsEndpoint: string; kubeEndpoint: string; kubeconfigPath?: string; external?: boolean };
  /**
   * ROLEGATE_JOB_LEASE_SECONDS: how long a claimed job stays with its replica without a renewal (default 60 s);
   * ROLEGATE_SCAN_CONCURRENCY: scan parts (clusters, accounts) this replica's job runner runs at once (default 64);
   * ROLEGATE_SCAN_KUBE_CONCURRENCY: clusters whose Kubernetes objects it reads at once (default 4).
   */
  jobs?: { leaseMs: number; scanConcurrency?: number; scanKubeConcurrency?: number };
  /** ROLEGATE_SCAN_RETENTION_DAYS / ROLEGATE_SCAN_RETENTION_MIN: scan history kept (lib/inventory/scan/retention.ts). */
  scanRetention?: ScanRetention;
  /**
   * ROLEGATE_EVENTS_QUEUE_URL: the SQS queue an EventBridge rule feeds with CloudTrail's
   * EKS/IAM change events (lib/freshness); absent: changes show at the next refresh/scan.
   * Sandbox mode uses the sandbox's queue unless set ("off" turns it off).
   * ROLEGATE_EVENTS_WAIT_SECONDS: long-poll wait, 1..20 (default 20).
   */
  events?: { queueUrl: string; waitSeconds: number };
}

/** How much scan history is kept: scans older than `days` go, but never the `minScans` newest. */
export interface ScanRetention {
  /** ROLEGATE_SCAN_RETENTION_DAYS */
  days: number;
  /** ROLEGATE_SCAN_RETENTION_MIN */
  minScans: number;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`Configuration error in ${setting}: ${message}`);
    this.name = "ConfigError";
  }
}
