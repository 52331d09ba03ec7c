// Plain data the AWS gateway hands to domain services: no SDK types leak out.

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
