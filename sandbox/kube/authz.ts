// Authorization through EKS access entries: the caller's principal (an assumed
// role counts as its role) needs an access entry on the cluster, else the
// authenticator refuses it (401, as EKS does for unmapped principals); then one
// of the entry's access policies, in scope for the namespace, must allow the
// verb on the resource, else 403. Kubernetes groups on an entry would need RBAC
// bindings the sandbox does not model, so they grant nothing here.
import type { Caller } from "../aws/accounts";
import { ACCESS_POLICY_PREFIX } from "../aws/eks-access";
import type { SandboxAccessEntry, SandboxCluster } from "../model";
import type { KubeRoute } from "./paths";
import { KubeError, unauthorized } from "./status";

type Verb = "get" | "list" | "create" | "patch" | "delete";
const READ: Verb[] = ["get", "list"];
const WRITE: Verb[] = ["get", "list", "create", "patch", "delete"];
/** What each AWS-managed access policy allows on the resources the sandbox serves. */
// As the Kubernetes roles behind them: view/edit/admin never cover nodes (cluster-scoped);
// AmazonEKSAdminViewPolicy reads every resource, nodes included.
const POLICY_VERBS: Record<string, Record<string, Verb[]>> = {
  AmazonEKSViewPolicy: { pods: READ, serviceaccounts: READ, namespaces: READ, daemonsets: READ },
  AmazonEKSAdminViewPolicy: { pods: READ, serviceaccounts: READ, namespaces: READ, daemonsets: READ, nodes: READ },
  AmazonEKSEditPolicy: { pods: WRITE, serviceaccounts: WRITE, namespaces: READ, daemonsets: WRITE },
  AmazonEKSAdminPolicy: { pods: WRITE, serviceaccounts: WRITE, namespaces: READ, daemonsets: WRITE },
  AmazonEKSClusterAdminPolicy: { pods: WRITE, serviceaccounts: WRITE, namespaces: WRITE, daemonsets: WRITE, nodes: WRITE },
};

/**
 * The verb and resource a request needs, read from its operation name as the API
 * server reads them from the path: "kube:listServiceAccounts" needs list on
 * serviceaccounts. Discovery and access reviews need none.
 */
function requestOf(operation: string): { verb: Verb; resource: string } | undefined {
  const m = /^kube:(get|list|patch|delete|create)([A-Z][A-Za-z]*?)s?$/.exec(operation);
  return m ? { verb: m[1] as Verb, resource: `${m[2]!.toLowerCase()}s` } : undefined;
}

export function principalOf(caller: Caller): string {
  return caller.assumedRole?.roleArn ?? caller.arn;
}

/** The access entry that maps the caller, or 401 as the authenticator answers unmapped principals. */
export function accessEntryFor(cluster: SandboxCluster, caller: Caller): SandboxAccessEntry {
  const entry = cluster.accessEntries?.[principalOf(caller)];
  if (!entry) throw unauthorized();
  return entry;
}

const inNamespaces = (patterns: string[], ns: string) => patterns.some((p) => (p.endsWith("*") ? ns.startsWith(p.slice(0, -1)) : p === ns));

export function allows(entry: SandboxAccessEntry, verb: string, resource: string, namespace: string | undefined): boolean {
  return Object.values(entry.policies).some((a) => {
    const verbs: string[] = POLICY_VERBS[a.policyArn.slice(ACCESS_POLICY_PREFIX.length)]?.[resource] ?? [];
    if (!verbs.includes(verb)) return false;
    if (a.accessScope.type === "cluster") return true;
    // Namespace-scoped policies never cover cluster-wide lists, namespaces themselves or nodes.
    if (resource === "nodes") return false;
    if (resource === "namespaces") return verb === "get" && namespace !== undefined && inNamespaces(a.accessScope.namespaces, namespace);
    return namespace !== undefined && inNamespaces(a.accessScope.namespaces, namespace);
  });
}

/** Throws the API server's 403 when the entry's policies do not allow the route. Discovery is open to every authenticated user. */
export function authorize(entry: SandboxAccessEntry, caller: Caller, route: KubeRoute): void {
  const need = requestOf(route.operation);
  if (!need) return;
  if (allows(entry, need.verb, need.resource, route.namespace)) return;
  const user = caller.arn;
  const where = need.resource === "namespaces" || need.resource === "nodes" || !route.namespace ? "at the cluster scope" : `in the namespace "${route.namespace}"`;
  throw new KubeError(
    403,
    "Forbidden",
    `${need.resource}${route.name ? ` "${route.name}"` : ""} is forbidden: User "${user}" cannot ${need.verb} resource "${need.resource}" in API group "${need.resource === "daemonsets" ? "apps" : ""}" ${where}`,
    { ...(route.name ? { name: route.name } : {}), kind: need.resource },
  );
}
