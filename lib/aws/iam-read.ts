// IAM reads the request prechecks need: a role and its (decoded) trust policy.
import { GetRoleCommand, GetRolePolicyCommand } from "@aws-sdk/client-iam";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import type { AwsLocation } from "./types";

export interface RoleTrust {
  arn: string;
  name: string;
  /** Trust policy JSON (URL-decoded). */
  trustPolicy: string;
}

export function roleNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

export class IamReader {
  constructor(private readonly pool: AwsClientPool) {}

  /** The role, or null when IAM says NoSuchEntity. */
  async getRole(location: AwsLocation, roleArn: string): Promise<RoleTrust | null> {
    try {
      const out = await this.pool.iamFor(location).send(new GetRoleCommand({ RoleName: roleNameFromArn(roleArn) }));
      const role = out.Role;
      if (!role?.Arn) return null;
      const raw = role.AssumeRolePolicyDocument ?? "";
      let trustPolicy = raw;
      try {
        trustPolicy = decodeURIComponent(raw);
      } catch {
        /* already plain JSON */
      }
      return { arn: role.Arn, name: role.RoleName ?? roleNameFromArn(roleArn), trustPolicy };
    } catch (e) {
      const err = toAwsCallError("GetRole", e);
      if (err.code === "NoSuchEntityException" || err.code === "NoSuchEntity") return null;
      throw err;
    }
  }

  /** The role's inline policy of that name (URL-decoded JSON), or null when the role has none of that name. */
  async getRolePolicy(location: AwsLocation, roleArn: string, policyName: string): Promise<string | null> {
    try {
      const out = await this.pool.iamFor(location).send(new GetRolePolicyCommand({ RoleName: roleNameFromArn(roleArn), PolicyName: policyName }));
      const raw = out.PolicyDocument ?? "";
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    } catch (e) {
      const err = toAwsCallError("GetRolePolicy", e);
      if (err.code === "NoSuchEntityException" || err.code === "NoSuchEntity") return null;
      throw err;
    }
  }
}
