// How lib/kube reaches a cluster's API server: its endpoint and CA from
// DescribeCluster (cached), and a bearer token minted here from RoleGate's own
// credentials (no kubeconfig exec plugin, no `aws` binary). In sandbox mode the
// same tokens are minted with the sandbox credentials and sent to the sandbox's
// Kubernetes API, which verifies them as EKS does; only the server URL differs.
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import type { AppConfig } from "@/lib/config/schema";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import { EksTokenCache } from "./eks-token";
import { AwsCallError, type AwsLocation } from "./types";

export interface ClusterConnection {
  server: string;
  /** Base64 PEM of the cluster CA (DescribeCluster's certificateAuthority.data). */
  caData?: string;
  /** Only for the sandbox's plain-http endpoint, which client-node otherwise refuses. */
  skipTLSVerify?: boolean;
  token: string;
  expiresAt: Date;
}

export interface KubeConnectorOptions {
  /** Where clusters may live, with the role to assume per account. */
  targets: AwsLocation[];
  /** The sandbox's Kubernetes API; real clusters' endpoints come from DescribeCluster. */
  sandboxKubeEndpoint?: string;
  now?: () => Date;
}

const ENDPOINT_TTL_MS = 60 * 60_000;
const CLUSTER_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/;

export class EksKubeConnector {
  private readonly tokens: EksTokenCache;
  private endpoints = new Map<string, { server: string; caData?: string; location: AwsLocation; until: number }>();

  constructor(
    private readonly pool: AwsClientPool,
    private readonly opts: KubeConnectorOptions,
  ) {
    this.tokens = new EksTokenCache(pool, opts.now);
  }

  /** The location (and so the credentials) for a cluster: from its ARN, else the targets. */
  private locate(clusterArn: string | undefined): AwsLocation[] {
    const m = clusterArn ? CLUSTER_ARN.exec(clusterArn) : null;
    if (!m) return this.opts.targets;
    const [, region, accountId] = m as unknown as [string, string, string];
    const target = this.opts.targets.find((t) => t.accountId === accountId && t.region === region) ?? this.opts.targets.find((t) => t.accountId === accountId);
    return [{ accountId, region, ...(target?.assumeRoleArn ? { assumeRoleArn: target.assumeRoleArn } : {}) }];
  }

  private async endpoint(cluster: string, clusterArn?: string): Promise<{ server: string; caData?: string; location: AwsLocation }> {
    const key = `${clusterArn ?? ""}|${cluster}`;
    const cached = this.endpoints.get(key);
    if (cached && cached.until > Date.now()) return cached;
    const candidates = this.locate(clusterArn);
    if (candidates.length === 0) throw new AwsCallError("DescribeCluster", "NoTarget", `no account/region configured where cluster ${cluster} could live`);
    let found: { server: string; caData?: string; location: AwsLocation } | undefined;
    if (this.opts.sandboxKubeEndpoint) {
      found = { server: `${this.opts.sandboxKubeEndpoint.replace(/\/+$/, "")}/clusters/${encodeURIComponent(cluster)}`, location: candidates[0]! };
    } else {
      for (const location of candidates) {
        try {
          const out = await this.pool.eksFor(location).send(new DescribeClusterCommand({ name: cluster }));
          if (!out.cluster?.endpoint) throw new AwsCallError("DescribeCluster", "NoEndpoint", `cluster ${cluster} has no endpoint yet (status ${out.cluster?.status ?? "unknown"})`);
          found = { server: out.cluster.endpoint, caData: out.cluster.certificateAuthority?.data, location };
          break;
        } catch (e) {
          const err = toAwsCallError("DescribeCluster", e);
          // Without an ARN the cluster may be in any target: try the next one.
          if (err.code === "ResourceNotFoundException" && candidates.length > 1) continue;
          throw err;
        }
      }
      if (!found) throw new AwsCallError("DescribeCluster", "ResourceNotFoundException", `no cluster ${cluster} in any configured account/region`);
    }
    this.endpoints.set(key, { ...found, until: Date.now() + ENDPOINT_TTL_MS });
    return found;
  }

  async connect(cluster: string, clusterArn?: string): Promise<ClusterConnection> {
    const ep = await this.endpoint(cluster, clusterArn);
    const { token, expiresAt } = await this.tokens.tokenFor(ep.location, cluster);
    return { server: ep.server, ...(ep.caData ? { caData: ep.caData } : {}), ...(this.opts.sandboxKubeEndpoint ? { skipTLSVerify: true } : {}), token, expiresAt };
  }
}

/** The KubeAccess value lib/kube takes (structurally), backed by minted EKS tokens. */
export function eksKubeAccess(pool: AwsClientPool, opts: KubeConnectorOptions): { kind: "eks"; connector: EksKubeConnector } {
  return { kind: "eks", connector: new EksKubeConnector(pool, opts) };
}

/**
 * Which Kubernetes access the app uses: EKS tokens minted here (the sandbox's
 * Kubernetes API in sandbox mode, DescribeCluster's endpoint in aws mode), or,
 * when ROLEGATE_KUBECONFIG names a file, that kubeconfig (clusters that are not
 * EKS, or an operator who prefers the exec plugin). Structurally lib/kube's KubeAccess.
 */
export function kubeAccessFromConfig(
  config: Pick<AppConfig, "mode" | "targets" | "sandbox">,
  pool: AwsClientPool,
  env: Record<string, string | undefined> = process.env,
): { kind: "eks"; connector: EksKubeConnector } | { kind: "kubeconfig"; path: string } {
  const file = env.ROLEGATE_KUBECONFIG;
  if (file) return { kind: "kubeconfig", path: file };
  return eksKubeAccess(pool, {
    targets: config.targets,
    ...(config.mode === "sandbox" && config.sandbox ? { sandboxKubeEndpoint: config.sandbox.kubeEndpoint } : {}),
  });
}
