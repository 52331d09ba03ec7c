// Read-only handlers: discovery documents, gets and paged, filtered lists.
import type { SandboxCluster } from "../model";
import { hashHex } from "../seed/ids";
import { daemonSetJson, listResourceVersion, META_FIELDS, metaFields, namespaceJson, nodeJson, podFields, podJson, POD_FIELDS, serviceAccountJson } from "./objects";
import type { KubeRoute } from "./paths";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { badRequest, notFound } from "./status";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function discovery(route: KubeRoute, cluster: SandboxCluster, serverAddress: string) {
  switch (route.document) {
    case "api":
      return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
    case "apis":
      return {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: [{ name: "apps", versions: [{ groupVersion: "apps/v1", version: "v1" }], preferredVersion: { groupVersion: "apps/v1", version: "v1" } }],
      };
    case "appsv1":
      return {
        kind: "APIResourceList",
        apiVersion: "v1",
        groupVersion: "apps/v1",
        resources: [{ name: "daemonsets", singularName: "daemonset", namespaced: true, kind: "DaemonSet", verbs: ["get", "list", "watch"], shortNames: ["ds"], categories: ["all"] }],
      };
    case "apiv1":
      return {
        kind: "APIResourceList",
        groupVersion: "v1",
        resources: [
          { name: "namespaces", singularName: "namespace", namespaced: false, kind: "Namespace", verbs: VERBS, shortNames: ["ns"] },
          { name: "nodes", singularName: "node", namespaced: false, kind: "Node", verbs: ["get", "list", "watch"], shortNames: ["no"] },
          { name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: VERBS, shortNames: ["po"], categories: ["all"] },
          { name: "serviceaccounts", singularName: "serviceaccount", namespaced: true, kind: "ServiceAccount", verbs: VERBS, shortNames: ["sa"] },
        ],
      };
    default: {
      const [major, minor] = cluster.version.split(".");
      const commit = hashHex("git", cluster.version);
      return {
        major,
        minor: `${minor}+`,
        gitVersion: `v${cluster.version}.2-eks-${commit.slice(0, 7)}`,
        gitCommit: commit.slice(0, 40),
        gitTreeState: "clean",
        buildDate: "2026-09-12T05:06:07Z",
        goVersion: "go1.22.8",
        compiler: "gc",
        platform: "linux/amd64",
      };
    }
  }
}

/**
 * A list answer paged like the API server's: items sorted by key, an opaque
 * continue token naming the last key served (so deletions between pages do not
 * shift or repeat items).
 */
function pagedList<T>(kind: string, entries: [string, T][], query: URLSearchParams, rv: string, toJson: (item: T) => unknown, apiVersion = "v1") {
  const sorted = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => ({ key, item }));
  const limitRaw = query.get("limit");
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${limitRaw}`);
  let start = 0;
  const token = query.get("continue");
  if (token) {
    let after: unknown;
    try {
      after = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { start?: unknown }).start;
    } catch {
      throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }
    if (typeof after !== "string") throw badRequest("continue key is not valid: missing start key");
    start = sorted.findIndex((e) => e.key > after);
    if (start < 0) start = sorted.length;
  }
  const end = limit > 0 ? Math.min(sorted.length, start + limit) : sorted.length;
  const page = sorted.slice(start, end);
  const more = end < sorted.length
    ? {
        continue: Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: page[page.length - 1]!.key })).toString("base64url"),
        remainingItemCount: sorted.length - end,
      }
    : {};
  return { kind, apiVersion, metadata: { resourceVersion: rv, ...more }, items: page.map((e) => toJson(e.item)) };
}

export function listNamespaces(cluster: SandboxCluster, query: URLSearchParams) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), META_FIELDS);
  const matching = Object.entries(cluster.kube.namespaces).filter(([, n]) => labels(n.labels) && fields(metaFields({ name: n.name })));
  return pagedList("NamespaceList", matching, query, listResourceVersion(cluster), namespaceJson);
}

export function getNamespace(cluster: SandboxCluster, name: string) {
  const ns = cluster.kube.namespaces[name];
  if (!ns) throw notFound("namespaces", name);
  return namespaceJson(ns);
}

export function listServiceAccounts(cluster: SandboxCluster, namespace: string | undefined, query: URLSearchParams) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), META_FIELDS);
  const matching = Object.entries(cluster.kube.serviceAccounts).filter(
    ([, sa]) => (!namespace || sa.namespace === namespace) && labels(sa.labels) && fields(metaFields(sa)),
  );
  return pagedList("ServiceAccountList", matching, query, listResourceVersion(cluster), serviceAccountJson);
}

export function getServiceAccount(cluster: SandboxCluster, namespace: string, name: string) {
  const sa = cluster.kube.serviceAccounts[`${namespace}/${name}`];
  if (!sa) throw notFound("serviceaccounts", name);
  return sa;
}

export function listPods(cluster: SandboxCluster, namespace: string | undefined, query: URLSearchParams) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), POD_FIELDS);
  const matching = Object.entries(cluster.kube.pods).filter(
    ([, p]) => (!namespace || p.namespace === namespace) && labels(p.labels) && fields(podFields(p)),
  );
  return pagedList("PodList", matching, query, listResourceVersion(cluster), (p) => podJson(p, cluster.name));
}

export function getPod(cluster: SandboxCluster, namespace: string, name: string) {
  const pod = cluster.kube.pods[`${namespace}/${name}`];
  if (!pod) throw notFound("pods", name);
  return pod;
}

export function listNodes(cluster: SandboxCluster, query: URLSearchParams) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), META_FIELDS);
  const matching = Object.entries(cluster.kube.nodes ?? {}).filter(([, n]) => labels(n.labels) && fields(metaFields({ name: n.name })));
  return pagedList("NodeList", matching, query, listResourceVersion(cluster), nodeJson);
}

export function getNode(cluster: SandboxCluster, name: string) {
  const node = cluster.kube.nodes?.[name];
  if (!node) throw notFound("nodes", name);
  return nodeJson(node);
}

export function listDaemonSets(cluster: SandboxCluster, namespace: string | undefined, query: URLSearchParams) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), META_FIELDS);
  const matching = Object.entries(cluster.kube.daemonSets ?? {}).filter(
    ([, ds]) => (!namespace || ds.namespace === namespace) && labels(ds.labels) && fields(metaFields(ds)),
  );
  return pagedList("DaemonSetList", matching, query, listResourceVersion(cluster), (ds) => daemonSetJson(ds, cluster.kube), "apps/v1");
}

export function getDaemonSet(cluster: SandboxCluster, namespace: string, name: string) {
  const ds = cluster.kube.daemonSets?.[`${namespace}/${name}`];
  if (!ds) throw notFound("daemonsets", name, "apps");
  return daemonSetJson(ds, cluster.kube);
}
