// Kubernetes objects of each demo cluster: namespaces, service accounts and
// pods whose env matches what the webhooks would have injected at creation.
import type { SandboxCluster, SandboxPod, SandboxServiceAccount } from "../model";
import { IRSA_ANNOTATION, webhookEnv, withoutWebhookEnv, type EnvVar } from "../kube/webhook";
import { findAssociationSpec } from "./associations";
import { nodeNames, type ClusterSpec } from "./clusters";
import { COMPUTE_NS, GREEN, PLATFORM_NS } from "./constants";
import { daysAgo, hashHex, kubeSuffix, pick, uuidFrom } from "./ids";
import { GREEN_SYSTEM_EXTRAS, IRSA_ANNOTATIONS, POD_OVERRIDES, SYSTEM_SERVICE_ACCOUNTS, computeServiceAccounts, type PodOverride } from "./kube-spec";
import { workloadRoleArn } from "./roles-workload";

const NAMESPACES: Record<string, Record<string, string>> = {
  default: {},
  "kube-system": {},
  "kube-public": {},
  "kube-node-lease": {},
  [PLATFORM_NS]: { "domino-platform": "true" },
  [COMPUTE_NS]: { "domino-compute": "true", "pod-security.kubernetes.io/enforce": "baseline" },
};

interface PodPlan {
  namespace: string;
  sa: string;
  name: string;
  ownerKind: string;
  ownerName: string;
  labels: Record<string, string>;
  env: EnvVar[];
  node: string;
  phase: SandboxPod["phase"];
  override: PodOverride;
}

export function populateKube(cluster: SandboxCluster, spec: ClusterSpec, now: Date): void {
  const kube = cluster.kube;
  for (const [ns, labels] of Object.entries(NAMESPACES)) {
    kube.namespaces[ns] = {
      name: ns,
      uid: uuidFrom("ns", cluster.name, ns),
      creationTimestamp: daysAgo(now, spec.createdDaysAgo - (ns.startsWith("domino") ? 0.5 : 0.01)),
      labels: { "kubernetes.io/metadata.name": ns, ...labels },
    };
  }
  const annotations = IRSA_ANNOTATIONS[cluster.name] ?? {};
  const addSa = (ns: string, name: string, labels: Record<string, string> = {}) => {
    const assoc = findAssociationSpec(cluster.name, ns, name);
    const spread = pick(Math.max(1, Math.floor(spec.createdDaysAgo / 2)), "sa-age", cluster.name, ns, name);
    let age = ns === COMPUTE_NS ? spec.createdDaysAgo - 1 - spread : spec.createdDaysAgo - 0.3;
    if (assoc) age = Math.max(age, assoc.createdDaysAgo + 0.5);
    const role = annotations[`${ns}/${name}`];
    const sa: SandboxServiceAccount = {
      namespace: ns,
      name,
      uid: uuidFrom("sa", cluster.name, ns, name),
      creationTimestamp: daysAgo(now, Math.min(age, spec.createdDaysAgo - 0.2)),
      annotations: role ? { [IRSA_ANNOTATION]: workloadRoleArn(role) } : {},
      labels,
    };
    kube.serviceAccounts[`${ns}/${name}`] = sa;
  };
  for (const ns of Object.keys(NAMESPACES)) addSa(ns, "default");
  for (const [ns, names] of Object.entries(SYSTEM_SERVICE_ACCOUNTS)) for (const n of names) addSa(ns, n);
  if (cluster.name === GREEN) for (const n of GREEN_SYSTEM_EXTRAS) addSa("kube-system", n);
  for (const n of computeServiceAccounts(cluster.name)) {
    addSa(COMPUTE_NS, n, {
      "app.kubernetes.io/managed-by": "domino",
      "dominodatalab.com/principal-type": n.startsWith("svc-") ? "service-account" : "user",
    });
  }

  const computeNodes = nodeNames(spec, "compute");
  const platformNodes = nodeNames(spec, "platform");
  for (const plan of [...systemPods(cluster.name, computeNodes, platformNodes), ...computePods(cluster.name, computeNodes)]) {
    const { namespace: ns, sa } = plan;
    const assoc = findAssociationSpec(cluster.name, ns, sa);
    const role = annotations[`${ns}/${sa}`];
    const podIdentity = plan.override.podIdentity ?? (assoc !== undefined && assoc.createdDaysAgo > plan.override.ageDays);
    const irsaRoleArn = (plan.override.irsa ?? true) && role ? workloadRoleArn(role) : undefined;
    kube.pods[`${ns}/${plan.name}`] = {
      namespace: ns,
      name: plan.name,
      uid: uuidFrom("pod", cluster.name, ns, plan.name),
      creationTimestamp: daysAgo(now, plan.override.ageDays),
      serviceAccountName: sa,
      labels: plan.labels,
      ownerKind: plan.ownerKind,
      ownerName: plan.ownerName,
      phase: plan.phase,
      nodeName: plan.node,
      env: [...withoutWebhookEnv(plan.env), ...webhookEnv({ podIdentity, irsaRoleArn, region: cluster.region })],
    };
  }
  addNodesAndDaemonSets(cluster, spec, now);
}

/** Nodes of the two node groups, and one DaemonSet per DaemonSet-owned pod group, as the API server lists them. */
function addNodesAndDaemonSets(cluster: SandboxCluster, spec: ClusterSpec, now: Date): void {
  const kube = cluster.kube;
  kube.nodes = {};
  for (const group of ["compute", "platform"]) {
    for (const name of nodeNames(spec, group)) {
      kube.nodes[name] = {
        name,
        uid: uuidFrom("node", cluster.name, name),
        creationTimestamp: daysAgo(now, Math.min(spec.createdDaysAgo, 12)),
        labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "eks.amazonaws.com/nodegroup": group, "eks.amazonaws.com/capacityType": "ON_DEMAND" },
        ready: true,
      };
    }
  }
  kube.daemonSets = {};
  for (const pod of Object.values(kube.pods)) {
    if (pod.ownerKind !== "DaemonSet" || !pod.ownerName) continue;
    const key = `${pod.namespace}/${pod.ownerName}`;
    const app = pod.labels["app.kubernetes.io/name"] ?? pod.ownerName;
    kube.daemonSets[key] ??= {
      namespace: pod.namespace,
      name: pod.ownerName,
      uid: uuidFrom("owner", cluster.name, pod.namespace, "DaemonSet", pod.ownerName),
      creationTimestamp: daysAgo(now, spec.createdDaysAgo - 0.02),
      labels: { "app.kubernetes.io/name": app },
      annotations: {},
      selector: { "app.kubernetes.io/name": app },
      nodeSelector: { "kubernetes.io/os": "linux" },
      image: `602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/${app}:latest`,
    };
  }
}

/** Name of the i-th seeded Domino run pod of a domino-compute service account. */
export function computePodName(cluster: string, sa: string, i: number): string {
  const key = `${cluster}/${COMPUTE_NS}/${sa}`;
  return `run-${hashHex("run", key, String(i)).slice(0, 24)}-${kubeSuffix(key, String(i))}`;
}

const normalAge = (...parts: string[]) => 0.1 + pick(30, "pod-age", ...parts) / 10;

function computePods(cluster: string, nodes: string[]): PodPlan[] {
  const plans: PodPlan[] = [];
  for (const sa of computeServiceAccounts(cluster)) {
    const key = `${cluster}/${COMPUTE_NS}/${sa}`;
    const isService = sa.startsWith("svc-");
    const mapped = findAssociationSpec(cluster, COMPUTE_NS, sa) || IRSA_ANNOTATIONS[cluster]?.[`${COMPUTE_NS}/${sa}`];
    const overrides: PodOverride[] =
      POD_OVERRIDES[key] ??
      Array.from({ length: isService ? 1 + pick(2, "pods", key) : pick(3, "pods", key) }, (_, i) => ({ ageDays: normalAge(key, String(i)) }));
    overrides.forEach((override, i) => {
      const runId = hashHex("run", key, String(i)).slice(0, 24);
      const ownerName = `run-${runId}`;
      // Finished or queued runs only where they cannot hide a credential problem.
      const phase: SandboxPod["phase"] = mapped || POD_OVERRIDES[key] ? "Running" : (["Running", "Running", "Succeeded", "Pending"] as const)[pick(4, "phase", key, String(i))]!;
      plans.push({
        namespace: COMPUTE_NS,
        sa,
        name: computePodName(cluster, sa, i),
        ownerKind: isService ? "Job" : "ReplicaSet",
        ownerName,
        labels: {
          "app.kubernetes.io/managed-by": "domino",
          "dominodatalab.com/workload-type": isService ? "Batch" : "Workspace",
          "dominodatalab.com/execution-id": runId,
          "dominodatalab.com/starting-user-username": sa.replace(/^(dmuser|svc)-/, ""),
        },
        env: [
          { name: "DOMINO_RUN_ID", value: runId },
          { name: "DOMINO_STARTING_USERNAME", value: sa.replace(/^(dmuser|svc)-/, "") },
        ],
        node: nodes[pick(nodes.length, "node", key, String(i))]!,
        phase,
        override,
      });
    });
  }
  return plans;
}

function systemPods(cluster: string, computeNodes: string[], platformNodes: string[]): PodPlan[] {
  const plans: PodPlan[] = [];
  const allNodes = [...computeNodes, ...platformNodes];
  const add = (ns: string, sa: string, ownerKind: string, ownerName: string, node: string, i: number, app: string) => {
    const key = `${cluster}/${ns}/${ownerName}/${i}`;
    plans.push({
      namespace: ns,
      sa,
      // StatefulSet pods keep ordinal names; the other controllers append a random suffix.
      name: ownerKind === "StatefulSet" ? `${ownerName}-${i}` : `${ownerName}-${kubeSuffix(key)}`,
      ownerKind,
      ownerName,
      labels: { "app.kubernetes.io/name": app },
      env: [],
      node,
      phase: "Running",
      override: { ageDays: 0.2 + pick(60, "sys-age", key) / 10 },
    });
  };
  // A Deployment's ReplicaSet is named "<deployment>-<pod-template-hash>".
  const rs = (name: string) => `${name}-${hashHex("rs", cluster, name).slice(0, 10).replace(/[0-9]/g, (d) => "bcdfghjklm"[Number(d)]!)}`;
  allNodes.forEach((node, i) => {
    add("kube-system", "aws-node", "DaemonSet", "aws-node", node, i, "aws-node");
    add("kube-system", "kube-proxy", "DaemonSet", "kube-proxy", node, i, "kube-proxy");
    if (cluster === GREEN) {
      add("kube-system", "eks-pod-identity-agent", "DaemonSet", "eks-pod-identity-agent", node, i, "eks-pod-identity-agent");
      add("kube-system", "ebs-csi-node-sa", "DaemonSet", "ebs-csi-node", node, i, "ebs-csi-node");
    }
  });
  [0, 1].forEach((i) => add("kube-system", "coredns", "ReplicaSet", rs("coredns"), platformNodes[i]!, i, "coredns"));
  add("kube-system", "cluster-autoscaler", "ReplicaSet", rs("cluster-autoscaler"), platformNodes[0]!, 0, "cluster-autoscaler");
  add("kube-system", "external-dns", "ReplicaSet", rs("external-dns"), platformNodes[1]!, 0, "external-dns");
  if (cluster === GREEN) {
    [0, 1].forEach((i) => add("kube-system", "ebs-csi-controller-sa", "ReplicaSet", rs("ebs-csi-controller"), platformNodes[i]!, i, "ebs-csi-controller"));
    add("kube-system", "cloudwatch-agent", "DaemonSet", "cloudwatch-agent", platformNodes[2]!, 0, "cloudwatch-agent");
  }
  [0, 1].forEach((i) => add(PLATFORM_NS, "nucleus-frontend", "ReplicaSet", rs("nucleus-frontend"), platformNodes[i]!, i, "nucleus-frontend"));
  add(PLATFORM_NS, "nucleus-dispatcher", "ReplicaSet", rs("nucleus-dispatcher"), platformNodes[2]!, 0, "nucleus-dispatcher");
  add(PLATFORM_NS, "mongodb", "StatefulSet", "mongodb-replicaset", platformNodes[0]!, 0, "mongodb");
  add(PLATFORM_NS, "rabbitmq", "StatefulSet", "rabbitmq-ha", platformNodes[1]!, 0, "rabbitmq");
  return plans;
}
