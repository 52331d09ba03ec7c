// Plain data of the inventory reads (IAM roles, OIDC providers, node groups,
// add-ons): no SDK types leak out of lib/aws.

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
}

export interface AddonInfo {
  name: string;
  arn?: string;
  status?: string;
  version?: string;
  podIdentityAssociationArns: string[];
}
