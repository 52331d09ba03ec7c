// Builds SDK clients for an account/region. In sandbox mode they point at the
// sandbox's endpoint: the same SDK code path as production, over HTTP.
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { countCalls } from "./call-metrics";
import type { AwsLocation } from "./types";

export interface AwsGatewaySettings {
  /** Sandbox (or any custom) endpoint; real AWS when absent. */
  endpoint?: string;
  /** Retry budget per call; the SDK's adaptive mode adds client-side rate limiting on throttling. */
  maxAttempts?: number;
  /** "adaptive" (default) adds the SDK's per-client rate limiter; "standard" leaves pacing to the caller (the inventory scanner paces per cluster). */
  retryMode?: "standard" | "adaptive";
}

const SANDBOX_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" };

function common(location: AwsLocation, settings: AwsGatewaySettings) {
  return {
    region: location.region,
    maxAttempts: settings.maxAttempts ?? 6,
    retryMode: settings.retryMode ?? "adaptive",
    // Names RoleGate in CloudTrail's userAgent (and lets the sandbox tell RoleGate's calls from a test's own).
    customUserAgent: "rolegate",
    ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: SANDBOX_CREDENTIALS } : {}),
  };
}

/** Credentials of an assumed role, refreshed five minutes before they expire. */
function assumedRoleProvider(location: AwsLocation, roleArn: string, settings: AwsGatewaySettings): AwsCredentialIdentityProvider {
  const sts = countCalls(new STSClient(common(location, settings)), "sts");
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > 5 * 60_000) return cached;
    pending ??= sts
      .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "rolegate", DurationSeconds: 3600 }))
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
        cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        return cached;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

export class AwsClientPool {
  private eks = new Map<string, EKSClient>();
  private iam = new Map<string, IAMClient>();
  private sts = new Map<string, STSClient>();

  constructor(private readonly settings: AwsGatewaySettings = {}) {}

  private config(location: AwsLocation) {
    const base = common(location, this.settings);
    return location.assumeRoleArn
      ? { ...base, credentials: assumedRoleProvider(location, location.assumeRoleArn, this.settings) }
      : base;
  }

  eksFor(location: AwsLocation): EKSClient {
    const key = `${location.accountId}/${location.region}/${location.assumeRoleArn ?? ""}`;
    let client = this.eks.get(key);
    if (!client) this.eks.set(key, (client = countCalls(new EKSClient(this.config(location)), "eks")));
    return client;
  }

  iamFor(location: AwsLocation): IAMClient {
    const key = `${location.accountId}/${location.assumeRoleArn ?? ""}`;
    let client = this.iam.get(key);
    if (!client) this.iam.set(key, (client = countCalls(new IAMClient(this.config(location)), "iam")));
    return client;
  }

  stsFor(location: AwsLocation): STSClient {
    const key = `${location.accountId}/${location.region}/${location.assumeRoleArn ?? ""}`;
    let client = this.sts.get(key);
    if (!client) this.sts.set(key, (client = countCalls(new STSClient(this.config(location)), "sts")));
    return client;
  }

  destroy(): void {
    for (const c of [...this.eks.values(), ...this.iam.values(), ...this.sts.values()]) c.destroy();
    this.eks.clear();
    this.iam.clear();
    this.sts.clear();
  }
}
