// Where Pod Identity works, seeded in their own region (us-west-2 of the
// production account) so the Domino Blue/Green fleet in us-east-1 keeps its
// counts. Three clusters:
// - domino-auto: EKS Auto Mode (computeConfig.enabled), no add-ons, Auto Mode
//   nodes; the Pod Identity agent is built in.
// - domino-selfmanaged: the eks-pod-identity-agent DaemonSet installed by Helm
//   (no add-on); its pod is not ready on one node.
// - domino-mixed: the add-on, a Linux and a Windows node group, and two
//   Fargate profiles (one with running pods on fargate-ip-... nodes, one
//   selecting a whole namespace whose SA has no pod yet).
import type { SandboxCluster, SandboxDaemonSet, SandboxNode, SandboxPod, SandboxRole, SandboxServiceAccount } from "../model";
import { IRSA_ANNOTATION, webhookEnv } from "../kube/webhook";
import { newAccessEntry } from "../aws/eks-access";
import { SANDBOX_ADMIN_ARN } from "./clusters";
import { COMPUTE_NS, PROD_ACCOUNT, saSubject } from "./constants";
import { daysAgo, hashHex, kubeSuffix, roleId, uuidFrom } from "./ids";
import { policyDoc, s3ReadPolicy } from "./policies";

export const WEST_REGION = "us-west-2";
export const AUTO = "domino-auto";
export const SELF_MANAGED = "domino-selfmanaged";
export const MIXED = "domino-mixed";
export const SERVERLESS_NS = "domino-serverless";
export const PLACEMENT_CLUSTERS = [AUTO, SELF_MANAGED, MIXED] as const;

export const westClusterArn = (name: string) => `arn:aws:eks:${WEST_REGION}:${PROD_ACCOUNT}:cluster/${name}`;
const westIssuerHost = (name: string) => `oidc.eks.${WEST_REGION}.amazonaws.com/id/${hashHex("oidc", name).slice(0, 32).toUpperCase()}`;
export const westProviderArn = (name: string) => `arn:aws:iam::${PROD_ACCOUNT}:oidc-provider/${westIssuerHost(name)}`;
const roleArnOf = (name: string) => `arn:aws:iam::${PROD_ACCOUNT}:role/${name}`;

/** IRSA role of the mixed cluster's workloads (Fargate, Windows and Linux alike: IRSA works on all three). */
export const WEST_BATCH_ROLE = "domino-west-batch";
export const MIXED_IRSA_SAS = ["svc-fargate-batch", "svc-windows-report", "svc-linux-etl"];

/** Agent image of the Helm chart (same as the add-on's). */
const AGENT_IMAGE = "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/eks-pod-identity-agent:v0.1.21";

const ec2Name = (cluster: string, group: string, i: number, cidr: string) => {
  const h = hashHex("node", cluster, group, String(i));
  return `ip-${cidr.replace(".", "-")}-${parseInt(h.slice(0, 2), 16)}-${parseInt(h.slice(2, 4), 16)}.${WEST_REGION}.compute.internal`;
};

function baseCluster(name: string, now: Date, ageDays: number, version: string): SandboxCluster {
  const endpointId = hashHex("endpoint", name).slice(0, 32).toUpperCase();
  const created = daysAgo(now, ageDays);
  const ns = (n: string, labels: Record<string, string> = {}) => ({ name: n, uid: uuidFrom("ns", name, n), creationTimestamp: created, labels: { "kubernetes.io/metadata.name": n, ...labels } });
  const c: SandboxCluster = {
    name,
    arn: westClusterArn(name),
    region: WEST_REGION,
    accountId: PROD_ACCOUNT,
    version,
    status: "ACTIVE",
    createdAt: created,
    oidcIssuer: `https://${westIssuerHost(name)}`,
    endpoint: `https://${endpointId}.gr7.${WEST_REGION}.eks.amazonaws.com`,
    roleArn: roleArnOf(`${name}-cluster-role`),
    tags: { environment: "prod", "domino-deploy-id": name },
    nodegroups: {},
    addons: {},
    fargateProfiles: {},
    associations: {},
    kube: {
      namespaces: Object.fromEntries([ns("default"), ns("kube-system"), ns(COMPUTE_NS, { "domino-compute": "true" })].map((n) => [n.name, n])),
      serviceAccounts: {},
      pods: {},
      nodes: {},
      daemonSets: {},
    },
  };
  // The sandbox's admin user is mapped as on the fleet's other clusters.
  c.accessEntries = { [SANDBOX_ADMIN_ARN]: newAccessEntry(c, SANDBOX_ADMIN_ARN, created, { policies: ["AmazonEKSClusterAdminPolicy"] }) };
  return c;
}

function addSa(c: SandboxCluster, now: Date, namespace: string, name: string, annotations: Record<string, string> = {}): void {
  const sa: SandboxServiceAccount = { namespace, name, uid: uuidFrom("sa", c.name, namespace, name), creationTimestamp: daysAgo(now, 20), annotations, labels: {} };
  c.kube.serviceAccounts[`${namespace}/${name}`] = sa;
}

function addNode(c: SandboxCluster, now: Date, name: string, labels: Record<string, string>, ready = true): void {
  const node: SandboxNode = {
    name,
    uid: uuidFrom("node", c.name, name),
    creationTimestamp: daysAgo(now, 10),
    labels: { "kubernetes.io/hostname": name, "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux", "topology.kubernetes.io/region": WEST_REGION, ...labels },
    ready,
  };
  c.kube.nodes![name] = node;
}

function addPod(c: SandboxCluster, now: Date, p: { namespace: string; sa: string; owner: string; ownerKind: string; node: string; labels?: Record<string, string>; i?: number; ready?: boolean }): SandboxPod {
  const key = `${c.name}/${p.namespace}/${p.owner}/${p.i ?? 0}`;
  const irsa = c.kube.serviceAccounts[`${p.namespace}/${p.sa}`]?.annotations[IRSA_ANNOTATION];
  const pod: SandboxPod = {
    namespace: p.namespace,
    name: `${p.owner}-${kubeSuffix(key)}`,
    uid: uuidFrom("pod", key),
    creationTimestamp: daysAgo(now, 1 + (p.i ?? 0) / 10),
    serviceAccountName: p.sa,
    labels: { "app.kubernetes.io/name": p.owner, ...(p.labels ?? {}) },
    ownerKind: p.ownerKind,
    ownerName: p.owner,
    phase: "Running",
    nodeName: p.node,
    ...(p.ready === false ? { ready: false } : {}),
    env: webhookEnv({ podIdentity: false, irsaRoleArn: irsa, region: WEST_REGION }),
  };
  c.kube.pods[`${p.namespace}/${pod.name}`] = pod;
  return pod;
}

function agentDaemonSet(c: SandboxCluster, now: Date, helm: boolean): SandboxDaemonSet {
  const ds: SandboxDaemonSet = {
    namespace: "kube-system",
    name: "eks-pod-identity-agent",
    uid: uuidFrom("ds", c.name, "eks-pod-identity-agent"),
    creationTimestamp: daysAgo(now, 30),
    labels: helm
      ? { "app.kubernetes.io/name": "eks-pod-identity-agent", "app.kubernetes.io/instance": "eks-pod-identity-agent", "app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": "eks-pod-identity-agent-1.3.5" }
      : { "app.kubernetes.io/name": "eks-pod-identity-agent", "app.kubernetes.io/instance": "eks-pod-identity-agent" },
    annotations: helm ? { "meta.helm.sh/release-name": "eks-pod-identity-agent", "meta.helm.sh/release-namespace": "kube-system" } : {},
    selector: { "app.kubernetes.io/name": "eks-pod-identity-agent", "app.kubernetes.io/instance": "eks-pod-identity-agent" },
    // The chart and the add-on schedule the agent on Linux nodes only (it cannot run on Windows or Fargate).
    nodeSelector: { "kubernetes.io/os": "linux" },
    image: AGENT_IMAGE,
  };
  c.kube.daemonSets![`kube-system/${ds.name}`] = ds;
  addSa(c, now, "kube-system", "eks-pod-identity-agent");
  return ds;
}

/** Auto Mode: no node groups, no add-ons; EKS manages the nodes (named after their instance) and the agent. */
function autoCluster(now: Date): SandboxCluster {
  const c = baseCluster(AUTO, now, 30, "1.31");
  c.autoMode = { enabled: true, nodePools: ["general-purpose", "system"], nodeRoleArn: roleArnOf("domino-auto-node-role") };
  const nodes = [0, 1].map((i) => `i-0${hashHex("auto-node", String(i)).slice(0, 16)}`);
  nodes.forEach((n, i) => addNode(c, now, n, { "eks.amazonaws.com/compute-type": "auto", "karpenter.sh/nodepool": i === 0 ? "general-purpose" : "system" }));
  addSa(c, now, COMPUTE_NS, "svc-auto-etl");
  addSa(c, now, COMPUTE_NS, "dmuser-auto-analyst");
  addPod(c, now, { namespace: COMPUTE_NS, sa: "svc-auto-etl", owner: "run-auto-etl", ownerKind: "Job", node: nodes[0]! });
  return c;
}

/** The agent from the Helm chart; its pod on the third node is not ready (CrashLoopBackOff). */
function selfManagedCluster(now: Date): SandboxCluster {
  const c = baseCluster(SELF_MANAGED, now, 60, "1.30");
  c.nodegroups.compute = {
    nodegroupName: "compute",
    nodegroupArn: `arn:aws:eks:${WEST_REGION}:${PROD_ACCOUNT}:nodegroup/${SELF_MANAGED}/compute/${uuidFrom("ng", SELF_MANAGED, "compute")}`,
    nodeRole: roleArnOf(`${SELF_MANAGED}-eks-nodes`),
    status: "ACTIVE",
    createdAt: daysAgo(now, 59),
    instanceTypes: ["m6i.2xlarge"],
    scalingConfig: { minSize: 3, maxSize: 6, desiredSize: 3 },
  };
  for (const name of ["vpc-cni", "coredns", "kube-proxy"]) {
    c.addons[name] = { addonName: name, addonVersion: "v1.30.0-eksbuild.1", addonArn: `arn:aws:eks:${WEST_REGION}:${PROD_ACCOUNT}:addon/${SELF_MANAGED}/${name}/${uuidFrom("addon", SELF_MANAGED, name)}`, status: "ACTIVE", createdAt: daysAgo(now, 59), modifiedAt: daysAgo(now, 40) };
  }
  const nodes = [0, 1, 2].map((i) => ec2Name(SELF_MANAGED, "compute", i, "10.50"));
  for (const n of nodes) addNode(c, now, n, { "eks.amazonaws.com/nodegroup": "compute", "eks.amazonaws.com/capacityType": "ON_DEMAND" });
  const ds = agentDaemonSet(c, now, true);
  nodes.forEach((n, i) => addPod(c, now, { namespace: "kube-system", sa: "eks-pod-identity-agent", owner: ds.name, ownerKind: "DaemonSet", node: n, labels: ds.selector, i, ready: i !== 2 }));
  addSa(c, now, COMPUTE_NS, "svc-sm-etl");
  addSa(c, now, COMPUTE_NS, "svc-sm-stuck");
  addPod(c, now, { namespace: COMPUTE_NS, sa: "svc-sm-etl", owner: "run-sm-etl", ownerKind: "Job", node: nodes[0]! });
  addPod(c, now, { namespace: COMPUTE_NS, sa: "svc-sm-etl", owner: "run-sm-etl", ownerKind: "Job", node: nodes[1]!, i: 1 });
  addPod(c, now, { namespace: COMPUTE_NS, sa: "svc-sm-stuck", owner: "run-sm-stuck", ownerKind: "Job", node: nodes[2]! });
  return c;
}

/** The add-on, Linux and Windows node groups, and Fargate profiles. */
function mixedCluster(now: Date): SandboxCluster {
  const c = baseCluster(MIXED, now, 90, "1.31");
  c.kube.namespaces[SERVERLESS_NS] = { name: SERVERLESS_NS, uid: uuidFrom("ns", MIXED, SERVERLESS_NS), creationTimestamp: daysAgo(now, 80), labels: { "kubernetes.io/metadata.name": SERVERLESS_NS } };
  const ng = (name: string, amiType: string, desiredSize: number, labels: Record<string, string>) => {
    c.nodegroups[name] = {
      nodegroupName: name,
      nodegroupArn: `arn:aws:eks:${WEST_REGION}:${PROD_ACCOUNT}:nodegroup/${MIXED}/${name}/${uuidFrom("ng", MIXED, name)}`,
      nodeRole: roleArnOf(`${MIXED}-eks-nodes`),
      status: "ACTIVE",
      createdAt: daysAgo(now, 89),
      instanceTypes: [amiType.startsWith("WINDOWS") ? "m6i.xlarge" : "m6i.2xlarge"],
      scalingConfig: { minSize: desiredSize, maxSize: desiredSize * 2, desiredSize },
      amiType,
      labels,
    };
  };
  ng("linux", "AL2023_x86_64_STANDARD", 2, {});
  ng("windows", "WINDOWS_CORE_2022_x86_64", 1, { "workload-os": "windows" });
  const addon = (name: string, version: string) => {
    c.addons[name] = { addonName: name, addonVersion: version, addonArn: `arn:aws:eks:${WEST_REGION}:${PROD_ACCOUNT}:addon/${MIXED}/${name}/${uuidFrom("addon", MIXED, name)}`, status: "ACTIVE", createdAt: daysAgo(now, 89), modifiedAt: daysAgo(now, 60) };
  };
  addon("vpc-cni", "v1.19.0-eksbuild.1");
  addon("eks-pod-identity-agent", "v1.3.4-eksbuild.1");
  const profile = (name: string, selectors: { namespace: string; labels?: Record<string, string> }[]) => {
    c.fargateProfiles![name] = {
      fargateProfileName: name,
      fargateProfileArn: `arn:aws:eks:${WEST_REGION}:${PROD_ACCOUNT}:fargateprofile/${MIXED}/${name}/${uuidFrom("fp", MIXED, name)}`,
      podExecutionRoleArn: roleArnOf(`${MIXED}-fargate-pod-execution`),
      subnets: [`subnet-${hashHex("fp-subnet", name).slice(0, 17)}`],
      selectors,
      status: "ACTIVE",
      createdAt: daysAgo(now, 70),
      tags: {},
    };
  };
  profile("fp-batch", [{ namespace: COMPUTE_NS, labels: { "dominodatalab.com/compute": "fargate" } }]);
  profile("fp-serverless", [{ namespace: SERVERLESS_NS }]);

  const linux = [0, 1].map((i) => ec2Name(MIXED, "linux", i, "10.60"));
  for (const n of linux) addNode(c, now, n, { "eks.amazonaws.com/nodegroup": "linux" });
  const windows = ec2Name(MIXED, "windows", 0, "10.60");
  addNode(c, now, windows, { "eks.amazonaws.com/nodegroup": "windows", "kubernetes.io/os": "windows", "workload-os": "windows" });
  const fargateNode = `fargate-ip-10-60-${parseInt(hashHex("fg", "0").slice(0, 2), 16)}-${parseInt(hashHex("fg", "0").slice(2, 4), 16)}.${WEST_REGION}.compute.internal`;
  addNode(c, now, fargateNode, { "eks.amazonaws.com/compute-type": "fargate", "eks.amazonaws.com/fargate-profile": "fp-batch" });

  const ds = agentDaemonSet(c, now, false);
  linux.forEach((n, i) => addPod(c, now, { namespace: "kube-system", sa: "eks-pod-identity-agent", owner: ds.name, ownerKind: "DaemonSet", node: n, labels: ds.selector, i }));

  for (const sa of MIXED_IRSA_SAS) addSa(c, now, COMPUTE_NS, sa, { [IRSA_ANNOTATION]: roleArnOf(WEST_BATCH_ROLE) });
  addSa(c, now, SERVERLESS_NS, "etl-fn");
  addPod(c, now, { namespace: COMPUTE_NS, sa: "svc-fargate-batch", owner: "run-fargate-batch", ownerKind: "Job", node: fargateNode, labels: { "dominodatalab.com/compute": "fargate", "eks.amazonaws.com/fargate-profile": "fp-batch" } });
  addPod(c, now, { namespace: COMPUTE_NS, sa: "svc-windows-report", owner: "run-windows-report", ownerKind: "Job", node: windows, labels: { "workload-os": "windows" } });
  addPod(c, now, { namespace: COMPUTE_NS, sa: "svc-linux-etl", owner: "run-linux-etl", ownerKind: "Job", node: linux[1]! });
  return c;
}

export function buildPlacementClusters(now: Date): Record<string, SandboxCluster> {
  return { [AUTO]: autoCluster(now), [SELF_MANAGED]: selfManagedCluster(now), [MIXED]: mixedCluster(now) };
}

/** The IAM side: the mixed cluster's OIDC provider and the IRSA role its workloads are annotated with. */
export function buildPlacementIam(now: Date): { role: SandboxRole; provider: { arn: string; url: string; createDate: string } } {
  const host = westIssuerHost(MIXED);
  const trust = policyDoc({
    Effect: "Allow",
    Principal: { Federated: westProviderArn(MIXED) },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${host}:aud`]: "sts.amazonaws.com", [`${host}:sub`]: MIXED_IRSA_SAS.map((sa) => saSubject(COMPUTE_NS, sa)) } },
  });
  return {
    role: {
      roleName: WEST_BATCH_ROLE,
      roleId: roleId(PROD_ACCOUNT, WEST_BATCH_ROLE),
      arn: roleArnOf(WEST_BATCH_ROLE),
      path: "/",
      description: "Batch workloads of domino-mixed (Fargate, Windows and Linux): IRSA",
      createDate: daysAgo(now, 85),
      maxSessionDuration: 3600,
      assumeRolePolicyDocument: trust,
      inlinePolicies: { "batch-data": s3ReadPolicy("acme-west-batch") },
      attachedPolicies: [],
      tags: [{ Key: "team", Value: "platform" }],
    },
    provider: { arn: westProviderArn(MIXED), url: host, createDate: daysAgo(now, 89.9) },
  };
}
