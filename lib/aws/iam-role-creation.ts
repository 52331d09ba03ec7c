// IAM writes and reads of a role born behind approval: CreateRole (trust,
// boundary, session length, tags), AttachRolePolicy, PutRolePolicy,
// PutRolePermissionsBoundary (never detach or delete: RoleGate only creates); the role's whole
// content as IAM holds it (to adopt an existing role of the same content), and
// the AWS managed-policy catalogue (ListPolicies Scope=AWS) for the picker.
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, ListPoliciesCommand, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import type { AwsClientPool } from "./clients";
import { allPages, awsCall, toAwsCallError } from "./errors";
import { decodePolicyDocument, IamGateway } from "./iam";
import type { AwsLocation } from "./types";

export interface NewRole {
  roleName: string;
  path: string;
  description?: string;
  trustPolicy: string;
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  tags: Record<string, string>;
}

/** What IAM holds of a role, to compare with what a create-role item asks for. */
export interface RoleContent extends NewRole {
  arn: string;
  attachedPolicyArns: string[];
  inlinePolicies: Record<string, string>;
}

export interface ManagedPolicyInfo {
  name: string;
  arn: string;
  path: string;
}

export class RoleCreationGateway {
  private readonly iam: IamGateway;

  constructor(private readonly pool: AwsClientPool) {
    this.iam = new IamGateway(pool);
  }

  /** The role's content, or null when IAM has no role of that name. */
  async roleContent(location: AwsLocation, roleName: string): Promise<RoleContent | null> {
    let role;
    try {
      role = (await this.pool.iamFor(location).send(new GetRoleCommand({ RoleName: roleName }))).Role;
    } catch (e) {
      const err = toAwsCallError("GetRole", e);
      if (err.code === "NoSuchEntity" || err.code === "NoSuchEntityException") return null;
      throw err;
    }
    if (!role) return null;
    return {
      arn: role.Arn ?? "",
      roleName: role.RoleName ?? roleName,
      path: role.Path ?? "/",
      ...(role.Description ? { description: role.Description } : {}),
      trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
      maxSessionDuration: role.MaxSessionDuration ?? 3600,
      ...(role.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundaryArn: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
      tags: Object.fromEntries((role.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ""])),
      attachedPolicyArns: await this.iam.listAttachedPolicyArns(location, roleName),
      inlinePolicies: await this.iam.inlinePolicies(location, roleName),
    };
  }

  async createRole(location: AwsLocation, role: NewRole): Promise<{ arn: string; awsRequestId?: string }> {
    const out = await this.write("CreateRole", () =>
      this.pool.iamFor(location).send(
        new CreateRoleCommand({
          RoleName: role.roleName,
          Path: role.path,
          Description: role.description,
          AssumeRolePolicyDocument: role.trustPolicy,
          MaxSessionDuration: role.maxSessionDuration,
          PermissionsBoundary: role.permissionsBoundaryArn,
          Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      ),
    );
    return { arn: out.Role?.Arn ?? "", awsRequestId: out.$metadata.requestId };
  }

  async attachRolePolicy(location: AwsLocation, roleName: string, policyArn: string): Promise<void> {
    await this.write("AttachRolePolicy", () => this.pool.iamFor(location).send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })));
  }

  async putRolePolicy(location: AwsLocation, roleName: string, policyName: string, policyDocument: string): Promise<void> {
    await this.write("PutRolePolicy", () => this.pool.iamFor(location).send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: policyDocument })));
  }

  async putRolePermissionsBoundary(location: AwsLocation, roleName: string, boundaryArn: string): Promise<void> {
    await this.write("PutRolePermissionsBoundary", () => this.pool.iamFor(location).send(new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: boundaryArn })));
  }

  private async write<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toAwsCallError(operation, e);
    }
  }
}

/** AWS's managed-policy catalogue as IAM lists it (ListPolicies Scope=AWS), for the create-role picker. */
export class ManagedPolicyCatalogue {
  constructor(private readonly pool: AwsClientPool) {}

  async list(location: AwsLocation): Promise<ManagedPolicyInfo[]> {
    return allPages(async (marker) => {
      const out = await awsCall("ListPolicies", () => this.pool.iamFor(location).send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 1000, Marker: marker })));
      const items = (out.Policies ?? []).flatMap((p) => (p.Arn && p.PolicyName ? [{ name: p.PolicyName, arn: p.Arn, path: p.Path ?? "/" }] : []));
      return { items, next: out.IsTruncated ? out.Marker : undefined };
    });
  }
}
