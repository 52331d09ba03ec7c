// Where a service account's pods run, and whether EKS Pod Identity can work
// there (pure; the scanner's snapshot and the prechecks' live reads both feed it).
// AWS's rules, as modelled here:
// - The agent is the eks-pod-identity-agent add-on, the same DaemonSet installed
//   otherwise (Helm: "self-managed"), or built in on EKS Auto Mode clusters
//   (DescribeCluster computeConfig.enabled) which have no add-on.
// - Not supported: Fargate pods (a Fargate profile's selectors match the pod's
//   namespace and labels; such pods carry eks.amazonaws.com/fargate-profile and
//   run on nodes labelled eks.amazonaws.com/compute-type=fargate), Windows nodes
//   (kubernetes.io/os=windows), local clusters on Outposts (outpostConfig),
//   clusters registered through the EKS Connector such as EKS Anywhere
//   (connectorConfig), and the China regions (cn-*).
import { matchWildcard } from "@/lib/trust";
import { groupBy } from "@/lib/util/group-by";

export interface PlacementNode {
  name: string;
  labels: Record<string, string>;
  ready: boolean;
}

export interface PlacementPod {
  namespace: string;
  name: string;
  serviceAccountName: string;
  phase: string;
  nodeName?: string;
  labels?: Record<string, string>;
  ready?: boolean;
  ownerKind?: string;
  ownerName?: string;
}

export interface PlacementFacts {
  cluster: string;
  region: string;
  autoMode: boolean;
  outpost?: boolean;
  connected?: boolean;
  /** The eks-pod-identity-agent add-on is installed. */
  agentAddon: boolean;
  /** undefined: not read. */
  fargateProfiles?: { name: string; selectors: { namespace: string; labels?: Record<string, string> }[] }[];
  nodes?: PlacementNode[];
  /** The eks-pod-identity-agent DaemonSet in kube-system (null: none; undefined: not read). */
  agentDaemonSet?: { name: string; nodeSelector: Record<string, string> } | null;
  /** Pods of the namespaces looked at (the SA's, and kube-system for the agent). undefined: not read. */
  pods?: PlacementPod[];
}

type ClusterFacts = Pick<PlacementFacts, "cluster" | "region" | "outpost" | "connected"> & { autoMode?: boolean };
type ReadFacts = Omit<PlacementFacts, keyof ClusterFacts | "agentDaemonSet"> & { agentDaemonSet?: { name: string; nodeSelector: Record<string, string> } | null };

/** The facts from both sources, a scan's snapshot (./snapshot.ts) and the prechecks' live reads: the cluster's description and what was read in it. */
export function placementFacts(c: ClusterFacts, read: ReadFacts): PlacementFacts {
  const { agentDaemonSet: ds, ...rest } = read;
  return { cluster: c.cluster, region: c.region, autoMode: c.autoMode === true, outpost: c.outpost, connected: c.connected, ...rest, agentDaemonSet: ds && { name: ds.name, nodeSelector: ds.nodeSelector } };
}

export const AGENT_NAME = "eks-pod-identity-agent";
export const FARGATE_PROFILE_LABEL = "eks.amazonaws.com/fargate-profile";
const COMPUTE_TYPE_LABEL = "eks.amazonaws.com/compute-type";
const OS_LABEL = "kubernetes.io/os";

export interface SaPlacement {
  namespace: string;
  serviceAccount: string;
  /** Linux nodes (EC2, Auto Mode) its running pods are on. */
  nodes: string[];
  /** Fargate profiles its pods run on (or that select every pod of its namespace). */
  fargate: string[];
  /** Windows nodes its pods are on. */
  windows: string[];
  /** Profiles whose label selectors would put some of its future pods on Fargate (no running pod tells). */
  mayRunOnFargate: string[];
  /** Running (or pending) pods looked at. */
  pods: number;
  podIdentity: "supported" | "unsupported" | "unknown";
  /** Why Pod Identity does not (or may not) work for it. */
  reasons: string[];
  /** One line for pages: "nodes ip-…, ip-… · Fargate (fp-batch) · Windows (ip-…)". */
  summary: string;
}

/**
 * Fargate selectors accept * and ? in the namespace and label values (case-sensitive,
 * no escapes). Matched in linear time, never through a RegExp: the selectors come from
 * DescribeFargateProfile in a watched account, and a translated `*?*?...X` backtracks
 * exponentially (8 pairs against a 63-character namespace took 90 s).
 */
const glob = (pattern: string, value: string) => matchWildcard(pattern, value);

function selectorMatches(sel: { namespace: string; labels?: Record<string, string> }, namespace: string, labels: Record<string, string>): boolean {
  return glob(sel.namespace, namespace) && Object.entries(sel.labels ?? {}).every(([k, v]) => labels[k] !== undefined && glob(v, labels[k]!));
}

/** Why no workload of this cluster can use Pod Identity, or null. */
export function clusterUnsupported(facts: Pick<PlacementFacts, "cluster" | "region" | "outpost" | "connected">): string | null {
  if (facts.outpost) return `${facts.cluster} is a local cluster on AWS Outposts, where EKS Pod Identity is not available.`;
  if (facts.connected) return `${facts.cluster} is a connected cluster (EKS Connector, e.g. EKS Anywhere), where EKS Pod Identity is not available.`;
  if (facts.region.startsWith("cn-")) return `EKS Pod Identity is not available in the China region ${facts.region}.`;
  return null;
}

const active = (p: PlacementPod) => p.phase !== "Succeeded" && p.phase !== "Failed";

/** A service account's active pods and the cluster's nodes by name, looked up once for a whole cluster (placementsOf). */
export interface SaPods {
  pods: PlacementPod[];
  nodesByName: Map<string, PlacementNode>;
}

/** Every service account's active pods ("ns/sa" -> pods) and the nodes by name: one pass over the cluster's pods. */
export function podsBySa(facts: PlacementFacts): { bySa: Map<string, PlacementPod[]>; nodesByName: Map<string, PlacementNode> } {
  const bySa = groupBy((facts.pods ?? []).filter(active), (p) => [`${p.namespace}/${p.serviceAccountName}`]);
  return { bySa, nodesByName: new Map((facts.nodes ?? []).map((n) => [n.name, n])) };
}

/** Where the SA's pods run, and whether Pod Identity can reach them. */
export function placementOf(facts: PlacementFacts, namespace: string, serviceAccount: string, given?: SaPods): SaPlacement {
  const nodesByName = given?.nodesByName ?? new Map((facts.nodes ?? []).map((n) => [n.name, n]));
  const pods = given ? given.pods : (facts.pods ?? []).filter((p) => p.namespace === namespace && p.serviceAccountName === serviceAccount && active(p));
  const nodes = new Set<string>();
  const fargate = new Set<string>();
  const windows = new Set<string>();
  for (const p of pods) {
    const labels = p.labels ?? {};
    const node = p.nodeName ? nodesByName.get(p.nodeName) : undefined;
    const profile =
      labels[FARGATE_PROFILE_LABEL] ??
      node?.labels[FARGATE_PROFILE_LABEL] ??
      (node?.labels[COMPUTE_TYPE_LABEL] === "fargate" || p.nodeName?.startsWith("fargate-") ? "fargate" : undefined) ??
      facts.fargateProfiles?.find((fp) => fp.selectors.some((s) => selectorMatches(s, namespace, labels)))?.name;
    if (profile) fargate.add(profile);
    else if (node?.labels[OS_LABEL] === "windows") windows.add(node.name);
    else if (p.nodeName) nodes.add(p.nodeName);
  }
  const mayRunOnFargate = new Set<string>();
  for (const fp of facts.fargateProfiles ?? []) {
    for (const s of fp.selectors) {
      if (!glob(s.namespace, namespace)) continue;
      // A namespace-only selector takes every pod of the namespace: the SA runs on Fargate whether or not a pod runs now.
      if (!Object.keys(s.labels ?? {}).length) fargate.add(fp.name);
      else if (!pods.length) mayRunOnFargate.add(fp.name);
    }
  }
  const reasons: string[] = [];
  const whole = clusterUnsupported(facts);
  if (whole) reasons.push(whole);
  if (fargate.size) reasons.push(`Its pods run on AWS Fargate (profile ${[...fargate].sort().join(", ")}): EKS Pod Identity does not work on Fargate.`);
  if (windows.size) reasons.push(`Its pods run on Windows nodes (${[...windows].sort().join(", ")}): EKS Pod Identity does not work on Windows.`);
  const unknown = facts.pods === undefined || facts.nodes === undefined || facts.fargateProfiles === undefined;
  if (!reasons.length && mayRunOnFargate.size) reasons.push(`Fargate profile ${[...mayRunOnFargate].sort().join(", ")} selects labelled pods of ${namespace}; with no running pod, RoleGate cannot tell whether this service account's pods would run on Fargate.`);
  const podIdentity = whole || fargate.size || windows.size ? "unsupported" : unknown || mayRunOnFargate.size ? "unknown" : "supported";
  const parts = [
    ...(nodes.size ? [`nodes ${[...nodes].sort().join(", ")}`] : []),
    ...(fargate.size ? [`Fargate (${[...fargate].sort().join(", ")})`] : []),
    ...(windows.size ? [`Windows (${[...windows].sort().join(", ")})`] : []),
  ];
  return {
    namespace,
    serviceAccount,
    nodes: [...nodes].sort(),
    fargate: [...fargate].sort(),
    windows: [...windows].sort(),
    mayRunOnFargate: [...mayRunOnFargate].sort(),
    pods: pods.length,
    podIdentity,
    reasons,
    summary: parts.length ? parts.join(" · ") : unknown ? "unknown (Kubernetes not read)" : "no running pods",
  };
}

export interface AgentCoverage {
  status: "pass" | "fail" | "warn";
  via: "auto-mode" | "add-on" | "self-managed" | "none" | "unknown";
  message: string;
}

/**
 * Whether the Pod Identity agent serves the nodes the SA's pods run on: built in (Auto Mode), the
 * add-on, or a self-managed DaemonSet whose pod is ready on each of those nodes.
 */
export function agentCoverage(facts: PlacementFacts, placement?: Pick<SaPlacement, "nodes">): AgentCoverage {
  const c = facts.cluster;
  if (facts.autoMode) return { status: "pass", via: "auto-mode", message: `${c} is an EKS Auto Mode cluster: the Pod Identity agent is built in (no add-on needed).` };
  if (facts.agentAddon) return { status: "pass", via: "add-on", message: `${c} runs the ${AGENT_NAME} add-on.` };
  if (facts.agentDaemonSet === undefined || facts.pods === undefined) {
    return { status: "fail", via: "unknown", message: `${c} has no ${AGENT_NAME} add-on and RoleGate could not read its Kubernetes API to look for a self-managed agent: the association may deliver no credentials. Install the add-on, or check the DaemonSet kube-system/${AGENT_NAME}.` };
  }
  const ds = facts.agentDaemonSet;
  if (!ds) return { status: "fail", via: "none", message: `${c} has no ${AGENT_NAME} add-on and no self-managed ${AGENT_NAME} DaemonSet in kube-system: the association would deliver no credentials. Install the add-on first.` };
  const agentPods = facts.pods.filter((p) => p.namespace === "kube-system" && p.ownerKind === "DaemonSet" && p.ownerName === ds.name && active(p));
  const readyOn = new Set(agentPods.filter((p) => p.ready && p.nodeName).map((p) => p.nodeName!));
  const targets = placement?.nodes ?? [];
  if (!targets.length) {
    const total = agentPods.length;
    if (!readyOn.size) return { status: "fail", via: "self-managed", message: `The self-managed ${AGENT_NAME} DaemonSet on ${c} has no ready pod: the association would deliver no credentials.` };
    return { status: readyOn.size === total ? "pass" : "warn", via: "self-managed", message: `${c} runs a self-managed ${AGENT_NAME} DaemonSet, ready on ${readyOn.size}/${total} node(s); the service account has no running pod, so the nodes its pods will use cannot be checked yet.` };
  }
  const missing = targets.filter((n) => !readyOn.has(n));
  if (missing.length) {
    return { status: "fail", via: "self-managed", message: `The self-managed ${AGENT_NAME} on ${c} is not ready on ${missing.join(", ")}, where this service account's pods run: they would get no credentials. Fix the agent pod there (kubectl -n kube-system get pods -l app.kubernetes.io/name=${AGENT_NAME} -o wide).` };
  }
  return { status: "pass", via: "self-managed", message: `${c} runs a self-managed ${AGENT_NAME} DaemonSet, ready on every node this service account's pods run on (${targets.join(", ")}).` };
}
