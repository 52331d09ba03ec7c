// The inventory snapshot: everything the scanner read from AWS and Kubernetes at
// one moment, as plain data. The scanner produces it (and stores it in
// Postgres); the analysis (edges, findings, fixes) consumes it without I/O.

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
  nodegroups: { name: string; nodeRoleArn: string }[];
  associations: SnapshotAssociation[];
  serviceAccounts: SnapshotServiceAccount[];
  pods: SnapshotPod[];
}

export interface SnapshotAssociation {
  associationId: string;
  associationArn: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  externalId?: string;
  disableSessionTags: boolean;
  policy?: string;
  ownerArn?: string;
  tags: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
}

interface SnapshotServiceAccount {
  namespace: string;
  name: string;
  creationTimestamp: string;
  annotations: Record<string, string>;
}

export interface SnapshotPod {
  namespace: string;
  name: string;
  uid: string;
  serviceAccountName: string;
  creationTimestamp: string;
  phase: string;
  /** Names of credential env vars present (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_ROLE_ARN, ...). */
  credentialEnv: Record<string, string>;
  ownerKind?: string;
  ownerName?: string;
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
