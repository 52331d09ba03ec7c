// Plain data the Kubernetes gateway hands to services: no client-node types leak out.

export interface KubeServiceAccount {
  namespace: string;
  name: string;
  creationTimestamp: string;
  annotations: Record<string, string>;
}

export interface KubePod {
  namespace: string;
  name: string;
  uid: string;
  serviceAccountName: string;
  creationTimestamp: string;
  phase: string;
  /** AWS credential env vars the webhooks injected (name -> value), over all containers. */
  credentialEnv: Record<string, string>;
  ownerKind?: string;
  ownerName?: string;
  /** spec.nodeName: where the pod runs ("" while unscheduled). */
  nodeName?: string;
  labels?: Record<string, string>;
  /** The Ready condition is True. */
  ready?: boolean;
}

export interface KubeNode {
  name: string;
  labels: Record<string, string>;
  ready: boolean;
}

export interface KubeDaemonSet {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** spec.template.spec.nodeSelector */
  nodeSelector: Record<string, string>;
  desired: number;
  ready: number;
}

/** Where a cluster's API server is and the bearer token to present (renewed by the connector). */
export interface KubeConnection {
  server: string;
  caData?: string;
  skipTLSVerify?: boolean;
  token: string;
  expiresAt: Date;
}

/** Supplies connections; lib/aws's EksKubeConnector mints EKS tokens (real clusters and the sandbox alike). */
export interface KubeConnector {
  connect(cluster: string, clusterArn?: string): Promise<KubeConnection>;
}

/** How to reach a cluster's API server: EKS tokens RoleGate mints, or a kubeconfig file (opt-in, e.g. non-EKS test clusters). */
export type KubeAccess =
  | { kind: "eks"; connector: KubeConnector }
  | { kind: "kubeconfig"; path?: string };

/** A Kubernetes API failure in plain terms. */
export class KubeCallError extends Error {
  constructor(
    readonly operation: string,
    readonly cluster: string,
    readonly httpStatus: number | undefined,
    message: string,
  ) {
    super(`${operation} on cluster ${cluster} failed${httpStatus ? ` (HTTP ${httpStatus})` : ""}: ${message}`);
    this.name = "KubeCallError";
  }

  get retryable(): boolean {
    return this.httpStatus === undefined || this.httpStatus === 429 || this.httpStatus >= 500;
  }
}
