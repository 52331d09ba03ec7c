// Kubernetes API emulator for every cluster of the sandbox world, served under
// /clusters/<clusterName>. Speaks enough of the core/v1 REST API for
// @kubernetes/client-node and kubectl: discovery, namespaces, service accounts
// (get/list/create/patch/delete) and pods (get/list/create/delete with controller replacement).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "../context";
import type { SandboxCluster } from "../model";
import { bumpResourceVersion, podJson, serviceAccountJson } from "./objects";
import { parseKubePath, UNKNOWN_OPERATION, type KubeRoute } from "./paths";
import { discovery, getDaemonSet, getNamespace, getNode, getPod, getServiceAccount, listDaemonSets, listNamespaces, listNodes, listPods, listServiceAccounts } from "./read";
import { KubeError, badRequest, notFound, sendJson, serverError, tooManyRequests, unauthorized } from "./status";
import { deletePod, patchServiceAccount } from "./write";
import { Created, createPod, createServiceAccount, deleteServiceAccount } from "./create";
import { Accounts, type Caller } from "../aws/accounts";
import { accessEntryFor, allows, authorize } from "./authz";
import type { SandboxAccessEntry } from "../model";
import { TokenRejected, verifyEksToken } from "./eks-token";

const MAX_BODY = 1 << 20;

function findCluster(ctx: SandboxContext, name: string): SandboxCluster | undefined {
  for (const account of Object.values(ctx.world.accounts))
    for (const region of Object.values(account.regions)) if (region.clusters[name]) return region.clusters[name];
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new KubeError(413, "RequestEntityTooLarge", "request entity too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const isDryRun = (q: URLSearchParams) => q.getAll("dryRun").includes("All");

/** The delete's grace period, from the query or a DeleteOptions body, as the API server accepts both. */
function gracePeriod(query: URLSearchParams, body: string): number {
  const fromQuery = query.get("gracePeriodSeconds");
  if (fromQuery !== null) return Number(fromQuery);
  if (!body.trim()) return 30;
  try {
    const opts = JSON.parse(body) as { gracePeriodSeconds?: number };
    return opts.gracePeriodSeconds ?? 30;
  } catch {
    throw badRequest("error decoding DeleteOptions: invalid JSON");
  }
}

/**
 * SelfSubjectAccessReview: "may I <verb> <resource> in <namespace>?", answered
 * from the caller's access entry (every authenticated user may ask, as on EKS).
 */
function selfSubjectAccessReview(body: string, entry: SandboxAccessEntry | undefined) {
  let review: { spec?: { resourceAttributes?: { verb?: string; resource?: string; namespace?: string; group?: string } } };
  try {
    review = JSON.parse(body) as typeof review;
  } catch {
    throw badRequest("error decoding SelfSubjectAccessReview: invalid JSON");
  }
  const attrs = review.spec?.resourceAttributes;
  if (!attrs?.verb || !attrs.resource) throw badRequest("SelfSubjectAccessReview.spec.resourceAttributes: verb and resource are required");
  const allowed = entry ? (attrs.group ?? "") === "" && allows(entry, attrs.verb, attrs.resource, attrs.namespace || undefined) : true;
  return {
    kind: "SelfSubjectAccessReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: review.spec,
    status: { allowed, ...(allowed ? { reason: entry ? "EKS Access Policy: allowed by an associated access policy" : "anonymous sandbox access" } : {}) },
  };
}

async function dispatch(ctx: SandboxContext, route: KubeRoute, cluster: SandboxCluster, req: IncomingMessage, query: URLSearchParams, entry?: SandboxAccessEntry) {
  const ns = route.namespace!;
  const name = route.name!;
  switch (route.operation) {
    case "kube:selfSubjectAccessReview":
      return selfSubjectAccessReview(await readBody(req), entry);
    case "kube:discovery":
      return discovery(route, cluster, `${req.headers.host ?? "127.0.0.1"}`);
    case "kube:listNamespaces":
      return listNamespaces(cluster, query);
    case "kube:getNamespace":
      return getNamespace(cluster, ns);
    case "kube:listServiceAccounts":
      return listServiceAccounts(cluster, route.namespace, query);
    case "kube:getServiceAccount":
      return serviceAccountJson(getServiceAccount(cluster, ns, name));
    case "kube:patchServiceAccount": {
      const body = await readBody(req);
      const dryRun = isDryRun(query);
      const sa = patchServiceAccount(cluster, ns, name, req.headers["content-type"] ?? "", body, dryRun);
      if (!dryRun) {
        bumpResourceVersion(cluster);
        ctx.changed();
      }
      return serviceAccountJson(sa);
    }
    case "kube:createServiceAccount":
    case "kube:deleteServiceAccount":
    case "kube:createPod": {
      const body = await readBody(req);
      const dryRun = isDryRun(query);
      const out =
        route.operation === "kube:createServiceAccount" ? createServiceAccount(cluster, ns, body, ctx.now(), dryRun)
        : route.operation === "kube:createPod" ? createPod(cluster, ns, body, ctx.now(), dryRun)
        : deleteServiceAccount(cluster, ns, name, dryRun);
      if (!dryRun) {
        bumpResourceVersion(cluster);
        ctx.changed();
      }
      return out;
    }
    case "kube:listPods":
      return listPods(cluster, route.namespace, query);
    case "kube:listNodes":
      return listNodes(cluster, query);
    case "kube:getNode":
      return getNode(cluster, name);
    case "kube:listDaemonSets":
      return listDaemonSets(cluster, route.namespace, query);
    case "kube:getDaemonSet":
      return getDaemonSet(cluster, ns, name);
    case "kube:getPod":
      return podJson(getPod(cluster, ns, name), cluster.name);
    case "kube:deletePod": {
      const grace = gracePeriod(query, await readBody(req));
      if (isDryRun(query)) return podJson(getPod(cluster, ns, name), cluster.name);
      const deleted = deletePod(cluster, ns, name, ctx.now(), grace);
      bumpResourceVersion(cluster);
      ctx.changed();
      return deleted;
    }
  }
}

interface KubeHandlerOptions {
  /**
   * Accept requests without a bearer token. kubectl (client-go) never sends its
   * token over plain http, so a plain-http sandbox needs this for kubectl; the
   * default stays strict like a real API server.
   */
  allowAnonymous?: boolean;
  /** Who holds which credentials: share the AWS edge's, so AssumeRole sessions verify too. */
  accounts?: Accounts;
  /** Why a token was refused (the client only sees 401, as from EKS). */
  log?: (message: string) => void;
}

export function createKubeRequestHandler(
  ctx: SandboxContext,
  opts: KubeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const accounts = opts.accounts ?? new Accounts(ctx);
  return (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const parsed = parseKubePath(req.method ?? "GET", url.pathname);
    const operation = parsed.ok ? parsed.route.operation : UNKNOWN_OPERATION;
    const clusterName = parsed.ok ? parsed.route.cluster : parsed.cluster;
    let injected: "throttle" | "5xx" | undefined;
    let cluster: SandboxCluster | undefined;

    const answer = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      sendJson(res, code, body, headers);
      const reason = (body as { kind?: string; reason?: string }).kind === "Status" ? (body as { reason?: string }).reason : undefined;
      ctx.calls.add({
        service: "kube",
        operation,
        ...(cluster ? { accountId: cluster.accountId, region: cluster.region } : {}),
        ...(clusterName ? { cluster: clusterName } : {}),
        status: code,
        ...(reason ? { errorCode: reason } : {}),
        ...(injected ? { injected } : {}),
        durationMs: Date.now() - started,
      });
    };

    const run = async () => {
      const auth = req.headers.authorization;
      const anonymous = auth === undefined && opts.allowAnonymous;
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth ?? "")?.[1];
      if (!anonymous && !bearer) throw unauthorized();
      if (!parsed.ok) throw parsed.error;
      let caller: Caller | undefined;
      if (bearer) {
        try {
          caller = await verifyEksToken(bearer, parsed.route.cluster, accounts, ctx.now());
        } catch (e) {
          if (!(e instanceof TokenRejected)) throw e;
          opts.log?.(`[sandbox/kube] ${parsed.route.cluster}: token refused: ${e.message}`);
          throw unauthorized();
        }
      }
      const latency = ctx.faults.latencyFor(operation);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const decision = ctx.faults.decide(operation, clusterName);
      if (decision.kind === "throttle") {
        injected = "throttle";
        throw tooManyRequests(1);
      }
      if (decision.kind === "5xx") {
        injected = "5xx";
        // Alternate the two codes API servers really return under load so clients handle both.
        throw serverError(ctx.calls.lastSeq % 2 === 0 ? 503 : 500);
      }
      cluster = findCluster(ctx, parsed.route.cluster);
      if (!cluster) throw notFound("clusters", parsed.route.cluster);
      const entry = caller ? accessEntryFor(cluster, caller) : undefined;
      if (caller && entry) authorize(entry, caller, parsed.route);
      return dispatch(ctx, parsed.route, cluster, req, url.searchParams, entry);
    };

    run().then(
      (body) => (body instanceof Created ? answer(201, body.body) : answer(200, body)),
      (err: unknown) => {
        if (err instanceof KubeError) answer(err.code, err.toStatus(), err.headers);
        else answer(500, new KubeError(500, "InternalError", `Internal error occurred: ${(err as Error)?.message ?? err}`).toStatus());
      },
    );
  };
}
