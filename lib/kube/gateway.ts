// The Kubernetes gateway: the only module that talks to API servers. Lists
// service accounts, pods, nodes and DaemonSets page by page (limit/continue) as
// plain JSON (raw-get.ts), retries 429/5xx a few times, and hands back plain
// data or KubeCallError.
import { ApiException, AppsV1Api, AuthorizationV1Api, CoreV1Api, type KubeConfig, type V1DaemonSet, type V1Node, type V1Pod, type V1ServiceAccount } from "@kubernetes/client-node";
import { kubeConfigFor } from "./config";
import { getJson } from "./raw-get";
import { KubeCallError, type KubeAccess, type KubeDaemonSet, type KubeNode, type KubePod, type KubeServiceAccount } from "./types";

const CREDENTIAL_ENV = /^AWS_(ROLE_ARN|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_FULL_URI|CONTAINER_AUTHORIZATION_TOKEN_FILE|STS_REGIONAL_ENDPOINTS|REGION|DEFAULT_REGION)$/;

export interface KubeGatewayOptions {
  pageSize?: number;
  /** Attempts per page for 429/5xx/network failures. */
  maxAttempts?: number;
  /** Base backoff in ms (doubles per attempt). */
  backoffMs?: number;
  /**
   * Lists through client-node's typed API (ObjectSerializer) instead of as plain
   * JSON: how the scanner read them when issue 15 was filed, kept for
   * bench:scale's baseline ("today's scanner"). Default false.
   */
  typedLists?: boolean;
}

interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string };
}
/** The API server's own JSON: `continue`, where client-node's model says `_continue`. */
interface RawListPage<T> {
  items: T[];
  metadata?: { continue?: string };
}

function toServiceAccount(sa: V1ServiceAccount): KubeServiceAccount {
  const m = sa.metadata ?? {};
  return { namespace: m.namespace ?? "", name: m.name ?? "", creationTimestamp: iso(m.creationTimestamp), annotations: { ...(m.annotations ?? {}) } };
}

function toPod(p: V1Pod): KubePod {
  const m = p.metadata ?? {};
  const credentialEnv: Record<string, string> = {};
  for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
    for (const e of c.env ?? []) if (CREDENTIAL_ENV.test(e.name)) credentialEnv[e.name] = e.value ?? "";
  }
  const owner = m.ownerReferences?.find((o) => o.controller) ?? m.ownerReferences?.[0];
  return {
    namespace: m.namespace ?? "",
    name: m.name ?? "",
    uid: m.uid ?? "",
    serviceAccountName: p.spec?.serviceAccountName ?? "default",
    creationTimestamp: iso(m.creationTimestamp),
    phase: p.status?.phase ?? "Unknown",
    credentialEnv,
    ...(owner ? { ownerKind: owner.kind, ownerName: owner.name } : {}),
    nodeName: p.spec?.nodeName ?? "",
    labels: { ...(m.labels ?? {}) },
    ready: p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
  };
}

function toNode(n: V1Node): KubeNode {
  return {
    name: n.metadata?.name ?? "",
    labels: { ...(n.metadata?.labels ?? {}) },
    ready: n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
  };
}

function toDaemonSet(d: V1DaemonSet): KubeDaemonSet {
  return {
    namespace: d.metadata?.namespace ?? "",
    name: d.metadata?.name ?? "",
    labels: { ...(d.metadata?.labels ?? {}) },
    nodeSelector: { ...(d.spec?.template?.spec?.nodeSelector ?? {}) },
    desired: d.status?.desiredNumberScheduled ?? 0,
    ready: d.status?.numberReady ?? 0,
  };
}

function iso(d: Date | string | undefined): string {
  if (!d) return "";
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}

export class KubeGateway {
  /** One client per cluster, rebuilt when the connector hands out a renewed token. */
  private apis = new Map<string, { api: CoreV1Api; kc: KubeConfig; token?: string }>();

  constructor(
    private readonly access: KubeAccess,
    private readonly options: KubeGatewayOptions = {},
  ) {}

  /** Every service account of the cluster, all namespaces, with annotations. */
  async listServiceAccounts(cluster: string, clusterArn?: string): Promise<KubeServiceAccount[]> {
    const api = await this.api(cluster, clusterArn);
    return this.paged(cluster, "listServiceAccounts", "/api/v1/serviceaccounts", (limit, _continue) => api.listServiceAccountForAllNamespaces({ limit, _continue }), toServiceAccount);
  }

  /** Pods of one namespace, or of all namespaces when namespace is omitted. */
  async listPods(cluster: string, opts: { namespace?: string; clusterArn?: string } = {}): Promise<KubePod[]> {
    const api = await this.api(cluster, opts.clusterArn);
    const ns = opts.namespace;
    return this.paged(
      cluster,
      "listPods",
      ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : "/api/v1/pods",
      (limit, _continue) => (ns ? api.listNamespacedPod({ namespace: ns, limit, _continue }) : api.listPodForAllNamespaces({ limit, _continue })),
      toPod,
    );
  }

  /** Every node, with its labels (kubernetes.io/os, eks.amazonaws.com/compute-type, ...) and readiness. */
  async listNodes(cluster: string, clusterArn?: string): Promise<KubeNode[]> {
    const api = await this.api(cluster, clusterArn);
    return this.paged(cluster, "listNodes", "/api/v1/nodes", (limit, _continue) => api.listNode({ limit, _continue }), toNode);
  }

  /** DaemonSets of one namespace (apps/v1), with their scheduled/ready counts. */
  async listDaemonSets(cluster: string, namespace: string, clusterArn?: string): Promise<KubeDaemonSet[]> {
    await this.api(cluster, clusterArn);
    const apps = this.apis.get(cluster)!.kc.makeApiClient(AppsV1Api);
    return this.paged(cluster, "listDaemonSets", `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/daemonsets`, (limit, _continue) => apps.listNamespacedDaemonSet({ namespace, limit, _continue }), toDaemonSet);
  }

  /**
   * Whether RoleGate's own identity may do something (SelfSubjectAccessReview,
   * which every authenticated user may ask). False when the API server refuses
   * the caller outright (401: no access entry).
   */
  async canI(cluster: string, attrs: { verb: string; resource: string; namespace?: string }, clusterArn?: string): Promise<boolean> {
    await this.api(cluster, clusterArn);
    const authz = this.apis.get(cluster)!.kc.makeApiClient(AuthorizationV1Api);
    try {
      const review = await this.withRetry(cluster, "selfSubjectAccessReview", () =>
        authz.createSelfSubjectAccessReview({ body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { verb: attrs.verb, resource: attrs.resource, group: "", ...(attrs.namespace ? { namespace: attrs.namespace } : {}) } } } }),
      );
      return review.status?.allowed === true;
    } catch (e) {
      if (e instanceof KubeCallError && e.httpStatus === 401) return false;
      throw e;
    }
  }

  private async api(cluster: string, clusterArn?: string): Promise<CoreV1Api> {
    const cached = this.apis.get(cluster);
    if (cached && this.access.kind === "kubeconfig") return cached.api;
    // No retry here: the AWS SDK already retried DescribeCluster/AssumeRole, and a
    // configuration problem (no context, no cluster, access denied) does not heal.
    let built: Awaited<ReturnType<typeof kubeConfigFor>>;
    try {
      built = await kubeConfigFor(this.access, cluster, clusterArn);
    } catch (e) {
      throw new KubeCallError(this.access.kind === "kubeconfig" ? "kubeconfig" : "connect", cluster, undefined, (e as Error).message);
    }
    if (cached && cached.token === built.token) return cached.api;
    const api = built.kc.makeApiClient(CoreV1Api);
    this.apis.set(cluster, { api, kc: built.kc, token: built.token });
    return api;
  }

  /**
   * Every item of a list, page by page: as plain JSON from `path` (the items keep
   * their dates as RFC 3339 strings, which the mappers accept), or through the
   * typed client's `typed` call when the gateway was built with `typedLists`.
   */
  private async paged<R, T>(
    cluster: string,
    operation: string,
    path: string,
    typed: (limit: number, cont?: string) => Promise<ListPage<R>>,
    map: (r: R) => T,
  ): Promise<T[]> {
    const limit = this.options.pageSize ?? 500;
    const kc = this.apis.get(cluster)!.kc;
    const page = async (cont?: string): Promise<{ items: R[]; cont?: string }> => {
      if (this.options.typedLists) {
        const p = await typed(limit, cont);
        return { items: p.items, cont: p.metadata?._continue };
      }
      const query = `?limit=${limit}${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`;
      const p = (await getJson(kc, path + query, operation, cluster)) as RawListPage<R>;
      return { items: p.items ?? [], cont: p.metadata?.continue };
    };
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const p = await this.withRetry(cluster, operation, () => page(cont));
      for (const item of p.items) out.push(map(item));
      cont = p.cont || undefined;
    } while (cont);
    return out;
  }

  private async withRetry<T>(cluster: string, operation: string, fn: () => Promise<T>): Promise<T> {
    const max = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const err = toKubeCallError(operation, cluster, e);
        if (!err.retryable || attempt >= max) throw err;
        const delay = (this.options.backoffMs ?? 200) * 2 ** (attempt - 1);
        await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random() / 2)));
      }
    }
  }
}

export function toKubeCallError(operation: string, cluster: string, e: unknown): KubeCallError {
  if (e instanceof KubeCallError) return e;
  if (e instanceof ApiException) {
    let message = String(e.body ?? e.message);
    try {
      message = (JSON.parse(String(e.body)) as { message?: string }).message ?? message;
    } catch {
      /* not JSON */
    }
    return new KubeCallError(operation, cluster, e.code, message);
  }
  return new KubeCallError(operation, cluster, undefined, (e as Error)?.message ?? String(e));
}
