// IAM writes of the request workflow (IAM items, approved by the IAM team):
// UpdateAssumeRolePolicy and PutRolePolicy. SDK retries are off in the write
// pool: the apply job backs off and records attempts itself.
import { PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import { roleNameFromArn } from "./iam-read";
import type { AwsLocation } from "./types";

export interface IamWriteResult {
  awsRequestId?: string;
}

export class IamWriter {
  constructor(private readonly pool: AwsClientPool) {}

  private at(location: AwsLocation, roleArn: string): AwsLocation {
    return { ...location, accountId: roleArn.split(":")[4] || location.accountId };
  }

  async updateAssumeRolePolicy(location: AwsLocation, roleArn: string, policyDocument: string): Promise<IamWriteResult> {
    try {
      const out = await this.pool.iamFor(this.at(location, roleArn)).send(new UpdateAssumeRolePolicyCommand({ RoleName: roleNameFromArn(roleArn), PolicyDocument: policyDocument }));
      return { awsRequestId: out.$metadata.requestId };
    } catch (e) {
      throw toAwsCallError("UpdateAssumeRolePolicy", e);
    }
  }

  async putRolePolicy(location: AwsLocation, roleArn: string, policyName: string, policyDocument: string): Promise<IamWriteResult> {
    try {
      const out = await this.pool.iamFor(this.at(location, roleArn)).send(new PutRolePolicyCommand({ RoleName: roleNameFromArn(roleArn), PolicyName: policyName, PolicyDocument: policyDocument }));
      return { awsRequestId: out.$metadata.requestId };
    } catch (e) {
      throw toAwsCallError("PutRolePolicy", e);
    }
  }
}
