// World records -> Kubernetes JSON objects, as the API server serialises them
// (empty maps omitted, owner references, projected token volumes).
import type { SandboxCluster, SandboxDaemonSet, SandboxKube, SandboxNode, SandboxPod, SandboxServiceAccount } from "../model";
import { hashHex, uuidFrom } from "../seed/ids";
import { POD_IDENTITY_TOKEN_FILE, IRSA_TOKEN_FILE } from "./webhook";

type Namespace = SandboxKube["namespaces"][string];

/** Opaque, changes whenever the object's content changes (clients must not parse it). */
const resourceVersionOf = (o: unknown) => String(parseInt(hashHex("rv", JSON.stringify(o)).slice(0, 9), 16));

const listVersions = new WeakMap<SandboxCluster, number>();
export const listResourceVersion = (c: SandboxCluster) => String(listVersions.get(c) ?? 100_000);
/** Called after a mutation so list resourceVersions move forward like etcd's revision. */
export const bumpResourceVersion = (c: SandboxCluster) => listVersions.set(c, (listVersions.get(c) ?? 100_000) + 1);

const nonEmpty = (key: string, m: Record<string, string>) => (Object.keys(m).length ? { [key]: { ...m } } : {});

export function namespaceJson(ns: Namespace) {
  return {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: { name: ns.name, uid: ns.uid, resourceVersion: resourceVersionOf(ns), creationTimestamp: ns.creationTimestamp, ...nonEmpty("labels", ns.labels) },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

export function serviceAccountJson(sa: SandboxServiceAccount) {
  return {
    kind: "ServiceAccount",
    apiVersion: "v1",
    metadata: {
      name: sa.name,
      namespace: sa.namespace,
      uid: sa.uid,
      resourceVersion: resourceVersionOf(sa),
      creationTimestamp: sa.creationTimestamp,
      ...nonEmpty("labels", sa.labels),
      ...nonEmpty("annotations", sa.annotations),
    },
  };
}

const OWNER_API: Record<string, string> = { ReplicaSet: "apps/v1", DaemonSet: "apps/v1", StatefulSet: "apps/v1", Job: "batch/v1" };

function container(pod: SandboxPod) {
  const domino = "dominodatalab.com/workload-type" in pod.labels;
  const name = domino ? "run" : (pod.labels["app.kubernetes.io/name"] ?? pod.ownerName ?? pod.name);
  const image = domino
    ? "quay.io/domino/compute-environment-images:ubuntu22-py3.10-r5.11-domino6.0"
    : `602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/${name}:latest`;
  const mounts = [];
  if (pod.env.some((e) => e.name === "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"))
    mounts.push({ name: "eks-pod-identity-token", mountPath: POD_IDENTITY_TOKEN_FILE.replace(/\/[^/]+$/, ""), readOnly: true });
  if (pod.env.some((e) => e.name === "AWS_WEB_IDENTITY_TOKEN_FILE"))
    mounts.push({ name: "aws-iam-token", mountPath: IRSA_TOKEN_FILE.replace(/\/[^/]+$/, ""), readOnly: true });
  const c: Record<string, unknown> = { name, image, env: pod.env.map((e) => ({ ...e })) };
  if (mounts.length) c.volumeMounts = mounts;
  return c;
}

function tokenVolumes(pod: SandboxPod) {
  const volumes = [];
  const projected = (name: string, audience: string, path: string) => ({
    name,
    projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience, expirationSeconds: 86400, path } }] },
  });
  if (pod.env.some((e) => e.name === "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"))
    volumes.push(projected("eks-pod-identity-token", "pods.eks.amazonaws.com", "eks-pod-identity-token"));
  if (pod.env.some((e) => e.name === "AWS_WEB_IDENTITY_TOKEN_FILE")) volumes.push(projected("aws-iam-token", "sts.amazonaws.com", "token"));
  return volumes;
}

export function podJson(pod: SandboxPod, cluster: string, extraMetadata: Record<string, unknown> = {}) {
  const ownerReferences = pod.ownerKind && pod.ownerName
    ? [{
        apiVersion: OWNER_API[pod.ownerKind] ?? "v1",
        kind: pod.ownerKind,
        name: pod.ownerName,
        uid: uuidFrom("owner", cluster, pod.namespace, pod.ownerKind, pod.ownerName),
        controller: true,
        blockOwnerDeletion: true,
      }]
    : undefined;
  const volumes = tokenVolumes(pod);
  // Built by assignment, in the API server's field order: object spreads here made a pod list's
  // JSON cost about twice as much, and a scan lists every pod of every cluster.
  const metadata: Record<string, unknown> = { name: pod.name };
  if (pod.ownerName && pod.ownerKind !== "StatefulSet") metadata.generateName = `${pod.ownerName}-`;
  metadata.namespace = pod.namespace;
  metadata.uid = pod.uid;
  metadata.resourceVersion = resourceVersionOf(pod);
  metadata.creationTimestamp = pod.creationTimestamp;
  if (Object.keys(pod.labels).length) metadata.labels = { ...pod.labels };
  if (ownerReferences) metadata.ownerReferences = ownerReferences;
  for (const key in extraMetadata) metadata[key] = extraMetadata[key];
  const spec: Record<string, unknown> = {};
  if (volumes.length) spec.volumes = volumes;
  spec.containers = [container(pod)];
  spec.restartPolicy = pod.ownerKind === "Job" ? "Never" : "Always";
  spec.serviceAccountName = pod.serviceAccountName;
  spec.serviceAccount = pod.serviceAccountName;
  spec.nodeName = pod.nodeName;
  return { kind: "Pod", apiVersion: "v1", metadata, spec, status: podStatus(pod) };
}

export const podReady = (pod: SandboxPod) => pod.ready ?? pod.phase === "Running";

/** Phase plus the conditions the kubelet reports (Ready is what DaemonSet status and clients read). */
function podStatus(pod: SandboxPod) {
  const ready = podReady(pod) ? "True" : "False";
  const scheduled = pod.phase === "Pending" && !pod.nodeName ? "False" : "True";
  const at = pod.creationTimestamp;
  return {
    phase: pod.phase,
    conditions: [
      { type: "PodScheduled", status: scheduled, lastTransitionTime: at },
      { type: "Initialized", status: "True", lastTransitionTime: at },
      { type: "ContainersReady", status: ready, lastTransitionTime: at },
      { type: "Ready", status: ready, lastTransitionTime: at },
    ],
    startTime: at,
  };
}

export function nodeJson(node: SandboxNode) {
  const os = node.labels["kubernetes.io/os"] ?? "linux";
  return {
    kind: "Node",
    apiVersion: "v1",
    metadata: { name: node.name, uid: node.uid, resourceVersion: resourceVersionOf(node), creationTimestamp: node.creationTimestamp, ...nonEmpty("labels", node.labels) },
    spec: node.labels["eks.amazonaws.com/compute-type"] === "fargate" ? { taints: [{ key: "eks.amazonaws.com/compute-type", value: "fargate", effect: "NoSchedule" }] } : {},
    status: {
      conditions: [{ type: "Ready", status: node.ready ? "True" : "False", reason: node.ready ? "KubeletReady" : "KubeletNotReady", lastTransitionTime: node.creationTimestamp }],
      nodeInfo: { operatingSystem: os, architecture: node.labels["kubernetes.io/arch"] ?? "amd64", kubeletVersion: "v1.31.2-eks-7f9249a", containerRuntimeVersion: os === "windows" ? "containerd://1.7.20" : "containerd://1.7.22" },
    },
  };
}

const matchesAll = (labels: Record<string, string>, want: Record<string, string>) => Object.entries(want).every(([k, v]) => labels[k] === v);

/** A DaemonSet with the status the controller would report: one pod per matching node, counted from the pods. */
export function daemonSetJson(ds: SandboxDaemonSet, kube: SandboxKube) {
  const nodes = Object.values(kube.nodes ?? {}).filter((n) => matchesAll(n.labels, ds.nodeSelector) && n.labels["eks.amazonaws.com/compute-type"] !== "fargate");
  const pods = Object.values(kube.pods).filter((p) => p.namespace === ds.namespace && p.ownerKind === "DaemonSet" && p.ownerName === ds.name);
  const ready = pods.filter(podReady).length;
  return {
    kind: "DaemonSet",
    apiVersion: "apps/v1",
    metadata: {
      name: ds.name,
      namespace: ds.namespace,
      uid: ds.uid,
      resourceVersion: resourceVersionOf(ds),
      generation: 1,
      creationTimestamp: ds.creationTimestamp,
      ...nonEmpty("labels", ds.labels),
      ...nonEmpty("annotations", ds.annotations),
    },
    spec: {
      selector: { matchLabels: { ...ds.selector } },
      template: {
        metadata: { labels: { ...ds.selector } },
        spec: { ...nonEmpty("nodeSelector", ds.nodeSelector), containers: [{ name: ds.name, image: ds.image }], hostNetwork: true },
      },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 0 } },
    },
    status: {
      currentNumberScheduled: pods.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
      updatedNumberScheduled: pods.length,
      observedGeneration: 1,
    },
  };
}

/** Fields each kind supports in fieldSelector, with their values for one object. */
export const POD_FIELDS = ["metadata.name", "metadata.namespace", "spec.serviceAccountName", "spec.nodeName", "status.phase"] as const;
export const podFields = (p: SandboxPod): Record<string, string> => ({
  "metadata.name": p.name,
  "metadata.namespace": p.namespace,
  "spec.serviceAccountName": p.serviceAccountName,
  "spec.nodeName": p.nodeName,
  "status.phase": p.phase,
});
export const META_FIELDS = ["metadata.name", "metadata.namespace"] as const;
export const metaFields = (o: { name: string; namespace?: string }): Record<string, string> => ({
  "metadata.name": o.name,
  "metadata.namespace": o.namespace ?? "",
});
