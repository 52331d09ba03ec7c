// EKS clusters, node groups, add-ons and IAM OIDC providers of the demo fleet.
import type { SandboxAddon, SandboxCluster, SandboxNodegroup, SandboxOidcProvider } from "../model";
import { BLUE, GREEN, LEGACY, PROD_ACCOUNT, REGION, clusterArn, issuerHost, issuerUrl, oidcProviderArn, roleArn } from "./constants";
import { daysAgo, hashHex, uuidFrom } from "./ids";
import { ADMIN_USER } from "../aws/accounts";
import { newAccessEntry } from "../aws/eks-access";

/**
 * The principal RoleGate's sandbox credentials resolve to (any long-term key ->
 * the first account's sandbox-admin). It created every seeded cluster, so, as
 * EKS's bootstrapClusterCreatorAdminPermissions does, it holds an access entry
 * with AmazonEKSClusterAdminPolicy on each.
 */
export const SANDBOX_ADMIN_ARN = `arn:aws:iam::${PROD_ACCOUNT}:user/${ADMIN_USER}`;

export interface ClusterSpec {
  name: string;
  version: string;
  createdDaysAgo: number;
  /** Add-on name -> version. */
  addons: Record<string, string>;
  /** First two octets of the VPC, so node names differ per cluster. */
  cidr: string;
}

export const CLUSTER_SPECS: ClusterSpec[] = [
  {
    name: BLUE,
    version: "1.29",
    createdDaysAgo: 445,
    // eks-pod-identity-agent deliberately absent although Blue has associations.
    addons: { "vpc-cni": "v1.18.1-eksbuild.3", coredns: "v1.11.1-eksbuild.9", "kube-proxy": "v1.29.3-eksbuild.2" },
    cidr: "10.20",
  },
  {
    name: GREEN,
    version: "1.31",
    createdDaysAgo: 46,
    addons: { "vpc-cni": "v1.19.0-eksbuild.1", coredns: "v1.11.3-eksbuild.2", "kube-proxy": "v1.31.2-eksbuild.3", "eks-pod-identity-agent": "v1.3.4-eksbuild.1", "aws-ebs-csi-driver": "v1.37.0-eksbuild.1" },
    cidr: "10.30",
  },
];

export const addonArn = (cluster: string, addon: string) =>
  `arn:aws:eks:${REGION}:${PROD_ACCOUNT}:addon/${cluster}/${addon}/${uuidFrom("addon", cluster, addon)}`;

const NODEGROUPS = [
  { name: "compute", instanceTypes: ["m6i.4xlarge"], scaling: { minSize: 2, maxSize: 20, desiredSize: 4 } },
  { name: "platform", instanceTypes: ["m6i.2xlarge"], scaling: { minSize: 3, maxSize: 6, desiredSize: 3 } },
] as const;

/** Node names of one node group, EC2 private DNS style. */
export function nodeNames(spec: ClusterSpec, nodegroup: string): string[] {
  const ng = NODEGROUPS.find((n) => n.name === nodegroup)!;
  return Array.from({ length: ng.scaling.desiredSize }, (_, i) => {
    const h = hashHex("node", spec.name, nodegroup, String(i));
    return `ip-${spec.cidr.replace(".", "-")}-${parseInt(h.slice(0, 2), 16)}-${parseInt(h.slice(2, 4), 16)}.ec2.internal`;
  });
}

export function buildCluster(spec: ClusterSpec, now: Date): SandboxCluster {
  const created = daysAgo(now, spec.createdDaysAgo);
  const nodegroups: Record<string, SandboxNodegroup> = {};
  for (const ng of NODEGROUPS) {
    nodegroups[ng.name] = {
      nodegroupName: ng.name,
      nodegroupArn: `arn:aws:eks:${REGION}:${PROD_ACCOUNT}:nodegroup/${spec.name}/${ng.name}/${uuidFrom("ng", spec.name, ng.name)}`,
      nodeRole: roleArn(`${spec.name}-eks-nodes`),
      status: "ACTIVE",
      createdAt: daysAgo(now, spec.createdDaysAgo - 0.05),
      instanceTypes: [...ng.instanceTypes],
      scalingConfig: { ...ng.scaling },
    };
  }
  const addons: Record<string, SandboxAddon> = {};
  for (const [name, version] of Object.entries(spec.addons)) {
    addons[name] = {
      addonName: name,
      addonVersion: version,
      addonArn: addonArn(spec.name, name),
      status: "ACTIVE",
      createdAt: daysAgo(now, spec.createdDaysAgo - 0.02),
      modifiedAt: daysAgo(now, Math.max(1, spec.createdDaysAgo - 20)),
    };
  }
  const endpointId = hashHex("endpoint", spec.name).slice(0, 32).toUpperCase();
  const cluster: SandboxCluster = {
    name: spec.name,
    arn: clusterArn(spec.name),
    region: REGION,
    accountId: PROD_ACCOUNT,
    version: spec.version,
    status: "ACTIVE",
    createdAt: created,
    oidcIssuer: issuerUrl(spec.name),
    endpoint: `https://${endpointId}.gr7.${REGION}.eks.amazonaws.com`,
    roleArn: roleArn(`${spec.name}-cluster-role`),
    tags: { "domino-deploy-id": spec.name, environment: "prod", "alpha.eksctl.io/cluster-oidc-enabled": "true" },
    nodegroups,
    addons,
    associations: {},
    kube: { namespaces: {}, serviceAccounts: {}, pods: {} },
  };
  cluster.accessEntries = {
    [SANDBOX_ADMIN_ARN]: newAccessEntry(cluster, SANDBOX_ADMIN_ARN, created, { policies: ["AmazonEKSClusterAdminPolicy"] }),
  };
  return cluster;
}

/** IAM OIDC providers: Blue, Green, and the one left behind by the deleted legacy cluster. */
export function buildOidcProviders(now: Date): Record<string, SandboxOidcProvider> {
  const providers: [string, number][] = [[LEGACY, 900], ...CLUSTER_SPECS.map((s) => [s.name, s.createdDaysAgo - 0.1] as [string, number])];
  const out: Record<string, SandboxOidcProvider> = {};
  for (const [cluster, age] of providers) {
    const arn = oidcProviderArn(cluster);
    out[arn] = {
      arn,
      url: issuerHost(cluster),
      clientIdList: ["sts.amazonaws.com"],
      thumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
      createDate: daysAgo(now, age),
      tags: [{ Key: "alpha.eksctl.io/cluster-name", Value: cluster }],
    };
  }
  return out;
}
