// The inventory snapshot: everything the scanner read from AWS and Kubernetes at
// one moment, as plain data. The scanner produces it (and stores it in
// Postgres); the analysis (edges, findings, fixes) consumes it without I/O.
import type { AssociationDetail } from "@/lib/aws/types";
import type { KubePod } from "@/lib/kube/types";

export interface InventorySnapshot {
  scannedAt: string; // ISO-8601
  accounts: SnapshotAccount[];
  clusters: SnapshotCluster[];
  roles: SnapshotRole[];
  oidcProviders: SnapshotOidcProvider[];
  /** Per-cluster or per-account failures: the rest of the snapshot is still valid. */
  errors: { scope: string; message: string }[];
}

interface SnapshotAccount {
  accountId: string;
  regions: string[];
  /** Regions watched for named clusters only (not "*"): region -> those clusters. Other clusters there are unseen. */
  namedClusters?: Record<string, string[]>;
}

export interface SnapshotCluster {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  status: string;
  version?: string;
  /** https://oidc.eks.<region>.amazonaws.com/id/<ID> */
  oidcIssuer?: string;
  createdAt?: string;
  podIdentityAgentInstalled: boolean;
  /** EKS Auto Mode (computeConfig.enabled): the Pod Identity agent is built in. */
  autoMode?: boolean;
  /** Local cluster on Outposts / connected cluster (EKS Anywhere): no Pod Identity. */
  outpost?: boolean;
  connected?: boolean;
  /** Fargate profiles and their selectors (undefined: not read). */
  fargateProfiles?: { name: string; selectors: { namespace: string; labels?: Record<string, string> }[] }[];
  /** Kubernetes nodes (undefined: not read, e.g. RBAC). */
  nodes?: SnapshotNode[];
  /** The eks-pod-identity-agent DaemonSet in kube-system, add-on or self-managed (null: none; undefined: not read). */
  agentDaemonSet?: { name: string; nodeSelector: Record<string, string>; desired: number; ready: number; labels: Record<string, string> } | null;
  nodegroups: { name: string; nodeRoleArn: string; amiType?: string }[];
  associations: SnapshotAssociation[];
  serviceAccounts: SnapshotServiceAccount[];
  pods: SnapshotPod[];
}

/** An association as EKS describes it, times as ISO-8601 strings (a snapshot is stored as JSON). */
export interface SnapshotAssociation extends Omit<AssociationDetail, "clusterName" | "createdAt" | "modifiedAt"> {
  createdAt: string;
  modifiedAt: string;
}

interface SnapshotServiceAccount {
  namespace: string;
  name: string;
  creationTimestamp: string;
  annotations: Record<string, string>;
}

/** A pod as the Kubernetes gateway reads it (credential env vars: AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_ROLE_ARN, ...). */
export type SnapshotPod = KubePod;

export interface SnapshotNode {
  name: string;
  labels: Record<string, string>;
  ready: boolean;
}

export interface SnapshotRole {
  accountId: string;
  roleName: string;
  arn: string;
  path: string;
  createDate?: string;
  /** Decoded JSON text of the trust policy (IAM returns it URL-encoded). */
  trustPolicy: string;
  /** Inline policies: name -> decoded JSON text. Read for node roles (and any role the analysis needs). */
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
  tags: Record<string, string>;
}

export interface SnapshotOidcProvider {
  accountId: string;
  arn: string;
  /** Issuer host + path, without https:// (as IAM returns it). */
  url: string;
  clientIds: string[];
}

/** One service account wherever it runs; `key` is accountId/region/cluster/namespace/serviceAccount. */
export interface ServiceAccountRef {
  key: string;
  accountId: string;
  region: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
}
