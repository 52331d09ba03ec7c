// The sandbox's world: plain data that the AWS and Kubernetes emulators serve
// and mutate. Kept free of I/O so the seed, the servers and the tests share it.

export interface SandboxWorld {
  /** Accounts by id ("111122223333"). */
  accounts: Record<string, SandboxAccount>;
}

export interface SandboxAccount {
  accountId: string;
  /** Friendly name, e.g. "domino-prod". */
  alias: string;
  /** IAM is global per account: roles by role name. */
  roles: Record<string, SandboxRole>;
  /** OIDC providers by ARN. */
  oidcProviders: Record<string, SandboxOidcProvider>;
  /** EKS is regional: region -> cluster name -> cluster. */
  regions: Record<string, { clusters: Record<string, SandboxCluster> }>;
}

export interface SandboxRole {
  roleName: string;
  roleId: string; // "AROA..." 21 chars, deterministic
  arn: string;
  path: string; // "/" by default
  description?: string;
  createDate: string; // ISO-8601
  maxSessionDuration: number;
  /** Trust policy as a JSON string, NOT url-encoded (the IAM emulator encodes on the wire). */
  assumeRolePolicyDocument: string;
  /** Inline policies: name -> JSON document string. */
  inlinePolicies: Record<string, string>;
  /** Managed policy attachments. */
  attachedPolicies: { policyName: string; policyArn: string }[];
  tags: { Key: string; Value: string }[];
  /** The managed policy ARN set as the role's permissions boundary. */
  permissionsBoundary?: string;
  /** IAM's RoleLastUsed: when and in which region the role was last assumed; absent = never (AWS tracks a trailing 400 days). */
  lastUsed?: { date: string; region: string };
}

export interface SandboxOidcProvider {
  arn: string; // arn:aws:iam::<acct>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>
  url: string; // without https://, as IAM returns it
  clientIdList: string[]; // ["sts.amazonaws.com"]
  thumbprintList: string[];
  createDate: string;
  tags: { Key: string; Value: string }[];
}

export interface SandboxCluster {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  version: string; // "1.31"
  status: "ACTIVE" | "CREATING" | "DELETING" | "FAILED" | "UPDATING";
  createdAt: string;
  /** https://oidc.eks.<region>.amazonaws.com/id/<ID> */
  oidcIssuer: string;
  endpoint: string;
  roleArn: string; // cluster service role
  tags: Record<string, string>;
  nodegroups: Record<string, SandboxNodegroup>;
  addons: Record<string, SandboxAddon>;
  /** EKS Auto Mode (DescribeCluster computeConfig.enabled): the Pod Identity agent is built in, no add-on. */
  autoMode?: { enabled: boolean; nodePools: string[]; nodeRoleArn?: string };
  /** Fargate profiles by name. */
  fargateProfiles?: Record<string, SandboxFargateProfile>;
  /** Pod identity associations by association id ("a-xxxxxxxxxxxxxxxxx"). */
  associations: Record<string, SandboxAssociation>;
  /** Kubernetes objects of this cluster. */
  kube: SandboxKube;
  /**
   * EKS access entries by principal ARN: who may call the cluster's Kubernetes
   * API (authenticationMode API). Optional so worlds saved before they existed
   * still load; such a cluster lets no IAM principal in.
   */
  accessEntries?: Record<string, SandboxAccessEntry>;
}

export interface SandboxAccessPolicyAssociation {
  policyArn: string;
  accessScope: { type: "cluster" | "namespace"; namespaces: string[] };
  associatedAt: string;
  modifiedAt: string;
}

export interface SandboxAccessEntry {
  principalArn: string;
  accessEntryArn: string;
  kubernetesGroups: string[];
  username: string;
  type: "STANDARD" | "EC2_LINUX" | "EC2_WINDOWS" | "FARGATE_LINUX";
  createdAt: string;
  modifiedAt: string;
  tags: Record<string, string>;
  /** Associated access policies by policy ARN. */
  policies: Record<string, SandboxAccessPolicyAssociation>;
}

export interface SandboxNodegroup {
  nodegroupName: string;
  nodegroupArn: string;
  nodeRole: string; // role ARN
  status: "ACTIVE";
  createdAt: string;
  instanceTypes: string[];
  scalingConfig: { minSize: number; maxSize: number; desiredSize: number };
  /** AL2023_x86_64_STANDARD unless set (WINDOWS_CORE_2022_x86_64 for Windows node groups). */
  amiType?: string;
  labels?: Record<string, string>;
}

export interface SandboxFargateProfile {
  fargateProfileName: string;
  fargateProfileArn: string;
  podExecutionRoleArn: string;
  subnets: string[];
  /** Pods in `namespace` whose labels include every `labels` entry run on Fargate. */
  selectors: { namespace: string; labels?: Record<string, string> }[];
  status: "ACTIVE" | "CREATING" | "DELETING";
  createdAt: string;
  tags: Record<string, string>;
}

export interface SandboxAddon {
  addonName: string; // "eks-pod-identity-agent"
  addonVersion: string;
  addonArn: string;
  status: "ACTIVE" | "DEGRADED" | "CREATING";
  createdAt: string;
  modifiedAt: string;
}

export interface SandboxAssociation {
  associationId: string;
  associationArn: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  externalId?: string;
  disableSessionTags: boolean;
  policy?: string;
  tags: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
  ownerArn?: string; // set for add-on-owned associations
  /** The clientRequestToken it was created with, for idempotency. */
  clientRequestToken?: string;
}

export interface SandboxKube {
  namespaces: Record<string, { name: string; uid: string; creationTimestamp: string; labels: Record<string, string> }>;
  /** key "<namespace>/<name>" */
  serviceAccounts: Record<string, SandboxServiceAccount>;
  /** key "<namespace>/<name>" */
  pods: Record<string, SandboxPod>;
  /** Nodes by name (the API server's /api/v1/nodes). */
  nodes?: Record<string, SandboxNode>;
  /** key "<namespace>/<name>" (apps/v1 DaemonSets; status is computed from nodes and pods). */
  daemonSets?: Record<string, SandboxDaemonSet>;
}

export interface SandboxNode {
  name: string;
  uid: string;
  creationTimestamp: string;
  /** kubernetes.io/os, eks.amazonaws.com/compute-type (fargate, auto), eks.amazonaws.com/nodegroup, ... */
  labels: Record<string, string>;
  ready: boolean;
}

export interface SandboxDaemonSet {
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** spec.selector.matchLabels: its pods carry these labels. */
  selector: Record<string, string>;
  /** spec.template.spec.nodeSelector: the nodes it should run on. */
  nodeSelector: Record<string, string>;
  image: string;
}

export interface SandboxServiceAccount {
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

export interface SandboxPod {
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: string;
  serviceAccountName: string;
  labels: Record<string, string>;
  /** Owner (e.g. a ReplicaSet or a Domino run) so deleted pods can be recreated by the "controller". */
  ownerKind?: string;
  ownerName?: string;
  phase: "Running" | "Pending" | "Succeeded" | "Failed";
  nodeName: string;
  /** The Ready condition; defaults to phase === "Running". */
  ready?: boolean;
  /** Container env as the Pod Identity / IRSA webhooks would have injected it. */
  env: { name: string; value: string }[];
}
