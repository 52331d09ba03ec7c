// URL -> operation. Every cluster is served under /clusters/<name>; the rest
// of the path is the API server's own.
import { methodNotAllowed, pathNotFound } from "./status";

type KubeOperation =
  | "kube:discovery"
  | "kube:listNamespaces"
  | "kube:getNamespace"
  | "kube:listServiceAccounts"
  | "kube:getServiceAccount"
  | "kube:patchServiceAccount"
  | "kube:createServiceAccount"
  | "kube:deleteServiceAccount"
  | "kube:createPod"
  | "kube:listPods"
  | "kube:getPod"
  | "kube:deletePod"
  | "kube:listNodes"
  | "kube:getNode"
  | "kube:listDaemonSets"
  | "kube:getDaemonSet"
  | "kube:selfSubjectAccessReview";

export interface KubeRoute {
  operation: KubeOperation;
  cluster: string;
  /** Which discovery document, for kube:discovery. */
  document?: "api" | "apis" | "apiv1" | "appsv1" | "version";
  namespace?: string;
  name?: string;
}

type Methods = Partial<Record<string, KubeOperation>>;

const ROUTES: [RegExp, Methods, (m: RegExpMatchArray) => Partial<KubeRoute>][] = [
  [/^\/api\/?$/, { GET: "kube:discovery" }, () => ({ document: "api" })],
  [/^\/apis\/?$/, { GET: "kube:discovery" }, () => ({ document: "apis" })],
  [/^\/api\/v1\/?$/, { GET: "kube:discovery" }, () => ({ document: "apiv1" })],
  [/^\/version\/?$/, { GET: "kube:discovery" }, () => ({ document: "version" })],
  [/^\/api\/v1\/namespaces$/, { GET: "kube:listNamespaces" }, () => ({})],
  [/^\/api\/v1\/namespaces\/([^/]+)$/, { GET: "kube:getNamespace" }, (m) => ({ namespace: m[1] })],
  [/^\/api\/v1\/serviceaccounts$/, { GET: "kube:listServiceAccounts" }, () => ({})],
  [/^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts$/, { GET: "kube:listServiceAccounts", POST: "kube:createServiceAccount" }, (m) => ({ namespace: m[1] })],
  [
    /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)$/,
    { GET: "kube:getServiceAccount", PATCH: "kube:patchServiceAccount", DELETE: "kube:deleteServiceAccount" },
    (m) => ({ namespace: m[1], name: m[2] }),
  ],
  [/^\/apis\/apps\/v1\/?$/, { GET: "kube:discovery" }, () => ({ document: "appsv1" })],
  [/^\/api\/v1\/nodes$/, { GET: "kube:listNodes" }, () => ({})],
  [/^\/api\/v1\/nodes\/([^/]+)$/, { GET: "kube:getNode" }, (m) => ({ name: m[1] })],
  [/^\/apis\/apps\/v1\/daemonsets$/, { GET: "kube:listDaemonSets" }, () => ({})],
  [/^\/apis\/apps\/v1\/namespaces\/([^/]+)\/daemonsets$/, { GET: "kube:listDaemonSets" }, (m) => ({ namespace: m[1] })],
  [/^\/apis\/apps\/v1\/namespaces\/([^/]+)\/daemonsets\/([^/]+)$/, { GET: "kube:getDaemonSet" }, (m) => ({ namespace: m[1], name: m[2] })],
  [/^\/apis\/authorization\.k8s\.io\/v1\/selfsubjectaccessreviews$/, { POST: "kube:selfSubjectAccessReview" }, () => ({})],
  [/^\/api\/v1\/pods$/, { GET: "kube:listPods" }, () => ({})],
  [/^\/api\/v1\/namespaces\/([^/]+)\/pods$/, { GET: "kube:listPods", POST: "kube:createPod" }, (m) => ({ namespace: m[1] })],
  [
    /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/,
    { GET: "kube:getPod", DELETE: "kube:deletePod" },
    (m) => ({ namespace: m[1], name: m[2] }),
  ],
];

/** Operation name used for paths the emulator does not serve (still logged). */
export const UNKNOWN_OPERATION = "kube:unsupported";

type ParsedPath = { ok: true; route: KubeRoute } | { ok: false; cluster?: string; error: ReturnType<typeof pathNotFound> };

export function parseKubePath(method: string, pathname: string): ParsedPath {
  const m = pathname.match(/^\/clusters\/([^/]+)(\/.*)?$/);
  if (!m) return { ok: false, error: pathNotFound() };
  const cluster = decodeURIComponent(m[1]!);
  const rest = m[2] ?? "/";
  for (const [re, methods, params] of ROUTES) {
    const hit = rest.match(re);
    if (!hit) continue;
    const operation = methods[method];
    if (!operation) return { ok: false, cluster, error: methodNotAllowed() };
    const p = params(hit);
    return {
      ok: true,
      route: {
        operation,
        cluster,
        ...p,
        ...(p.namespace ? { namespace: decodeURIComponent(p.namespace) } : {}),
        ...(p.name ? { name: decodeURIComponent(p.name) } : {}),
      },
    };
  }
  return { ok: false, cluster, error: pathNotFound() };
}
