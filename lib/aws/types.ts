// Plain data the AWS gateway hands to domain services (locations, clusters,
// associations, IAM roles, OIDC providers, node groups, add-ons): no SDK types leak out.

export interface AwsLocation {
  accountId: string;
  region: string;
  /** Role to assume for this account; the default credential chain when absent. */
  assumeRoleArn?: string;
}

export interface ClusterInfo {
  name: string;
  arn?: string;
  status?: string;
  version?: string;
  oidcIssuer?: string;
  /** EKS Auto Mode (computeConfig.enabled): the Pod Identity agent is built in. */
  autoMode?: boolean;
  /** Local cluster on AWS Outposts (outpostConfig): no Pod Identity. */
  outpost?: boolean;
  /** Registered through the EKS Connector (connectorConfig), e.g. EKS Anywhere: no Pod Identity. */
  connected?: boolean;
}

export interface FargateProfileInfo {
  name: string;
  status?: string;
  selectors: { namespace: string; labels: Record<string, string> }[];
}

export interface AssociationSummary {
  associationId: string;
  associationArn: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  ownerArn?: string;
}

export interface AssociationDetail extends AssociationSummary {
  roleArn: string;
  targetRoleArn?: string;
  externalId?: string;
  disableSessionTags: boolean;
  policy?: string;
  tags: Record<string, string>;
  createdAt: Date;
  modifiedAt: Date;
}

/** An AWS error in plain terms, so services can decide without importing the SDK. */
export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
    readonly requestId?: string,
    readonly retryable = false,
  ) {
    super(`${operation} failed: ${code}: ${message}`);
    this.name = "AwsCallError";
  }
}

export interface IamRoleInfo {
  accountId: string;
  roleName: string;
  roleId?: string;
  arn: string;
  path: string;
  createDate?: string;
  /** Decoded JSON text (IAM sends it URL-encoded). */
  trustPolicy: string;
  /** ListRoles does not return tags; GetRole does. */
  tags: Record<string, string>;
  /** GetRole only (ListRoles omits it): IAM's RoleLastUsed; null = never used within IAM's tracking window. */
  lastUsed?: RoleLastUsed | null;
}

/** When and where IAM last saw the role assumed (GetRole's RoleLastUsed). */
export interface RoleLastUsed {
  date: string;
  region: string | null;
}

export interface OidcProviderInfo {
  accountId: string;
  arn: string;
  /** Issuer host + path, without https://. */
  url: string;
  clientIds: string[];
}

export interface NodegroupInfo {
  name: string;
  arn?: string;
  status?: string;
  nodeRoleArn: string;
  /** e.g. AL2023_x86_64_STANDARD, WINDOWS_CORE_2022_x86_64. */
  amiType?: string;
}

export interface AddonInfo {
  name: string;
  arn?: string;
  status?: string;
  version?: string;
  podIdentityAssociationArns: string[];
}
