// AWS IAM, as plain data: roles with their (decoded) trust policies, inline and
// attached policies, OpenID Connect providers (IamGateway); the request
// workflow's role lookup (IamReader, null when the role is missing) and its IAM
// writes (IamWriter: UpdateAssumeRolePolicy, PutRolePolicy; given a pool view
// without SDK retries, the apply job backs off itself); the node roles of a
// cluster's node groups with their inline policies (NodeRoleReader).
import { GetOpenIDConnectProviderCommand, GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListOpenIDConnectProvidersCommand, ListRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand, type Role, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import type { AwsClientPool } from "./clients";
import { allPages, awsCall, toAwsCallError } from "./errors";
import { AwsCallError, type AwsLocation, type IamRoleInfo, type OidcProviderInfo, type RoleLastUsed } from "./types";
import { EksInventoryGateway } from "./eks";

// The IAM half of the AWS gateway: roles with their (decoded) trust policies,
// inline and attached policies, and OpenID Connect providers. IAM returns policy
// documents URL-encoded; everything leaving this module is decoded JSON text.

/** IAM policy documents arrive URL-encoded (RFC 3986); a plain JSON document passes through. */
export function decodePolicyDocument(doc: string | undefined): string {
  if (!doc) return "";
  if (doc.trimStart().startsWith("{")) return doc;
  try {
    return decodeURIComponent(doc.replace(/\+/g, "%20"));
  } catch {
    return doc;
  }
}

function roleInfo(accountId: string, r: Role): IamRoleInfo {
  return {
    accountId,
    roleName: r.RoleName ?? "",
    roleId: r.RoleId,
    arn: r.Arn ?? "",
    path: r.Path ?? "/",
    createDate: r.CreateDate?.toISOString(),
    trustPolicy: decodePolicyDocument(r.AssumeRolePolicyDocument),
    tags: Object.fromEntries((r.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ""])),
    ...(r.RoleLastUsed ? { lastUsed: r.RoleLastUsed.LastUsedDate ? { date: r.RoleLastUsed.LastUsedDate.toISOString(), region: r.RoleLastUsed.Region ?? null } : null } : {}),
  };
}

export class IamGateway {
  constructor(private readonly pool: AwsClientPool) {}

  /** Every role of the account, one page (up to 1,000 roles) per call. */
  async listRoles(location: AwsLocation, onPage?: (count: number) => void): Promise<IamRoleInfo[]> {
    let count = 0;
    return allPages(async (marker) => {
      const out = await this.call("ListRoles", () => this.pool.iamFor(location).send(new ListRolesCommand({ MaxItems: 1000, Marker: marker })));
      const items = (out.Roles ?? []).map((r) => roleInfo(location.accountId, r));
      onPage?.((count += items.length));
      return { items, next: out.IsTruncated ? out.Marker : undefined };
    });
  }

  async getRole(location: AwsLocation, roleName: string): Promise<IamRoleInfo> {
    const out = await this.call("GetRole", () => this.pool.iamFor(location).send(new GetRoleCommand({ RoleName: roleName })));
    if (!out.Role) throw new Error(`GetRole ${roleName} returned no role`);
    return roleInfo(location.accountId, out.Role);
  }

  async listRolePolicyNames(location: AwsLocation, roleName: string): Promise<string[]> {
    return allPages(async (marker) => {
      const out = await this.call("ListRolePolicies", () =>
        this.pool.iamFor(location).send(new ListRolePoliciesCommand({ RoleName: roleName, MaxItems: 1000, Marker: marker })),
      );
      return { items: out.PolicyNames ?? [], next: out.IsTruncated ? out.Marker : undefined };
    });
  }

  /** Decoded JSON text of one inline policy. */
  async getRolePolicy(location: AwsLocation, roleName: string, policyName: string): Promise<string> {
    const out = await this.call("GetRolePolicy", () =>
      this.pool.iamFor(location).send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
    return decodePolicyDocument(out.PolicyDocument);
  }

  /** All inline policies of a role: name -> decoded JSON text. */
  async inlinePolicies(location: AwsLocation, roleName: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const name of await this.listRolePolicyNames(location, roleName)) out[name] = await this.getRolePolicy(location, roleName, name);
    return out;
  }

  async listAttachedPolicyArns(location: AwsLocation, roleName: string): Promise<string[]> {
    return allPages(async (marker) => {
      const out = await this.call("ListAttachedRolePolicies", () =>
        this.pool.iamFor(location).send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, MaxItems: 1000, Marker: marker })),
      );
      return { items: (out.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])), next: out.IsTruncated ? out.Marker : undefined };
    });
  }

  async listOidcProviderArns(location: AwsLocation): Promise<string[]> {
    const out = await this.call("ListOpenIDConnectProviders", () =>
      this.pool.iamFor(location).send(new ListOpenIDConnectProvidersCommand({})),
    );
    return (out.OpenIDConnectProviderList ?? []).flatMap((p) => (p.Arn ? [p.Arn] : []));
  }

  async getOidcProvider(location: AwsLocation, arn: string): Promise<OidcProviderInfo> {
    const out = await this.call("GetOpenIDConnectProvider", () =>
      this.pool.iamFor(location).send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
    );
    return { accountId: location.accountId, arn, url: (out.Url ?? "").replace(/^https:\/\//, ""), clientIds: out.ClientIDList ?? [] };
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return awsCall(operation, fn);
  }
}

// IAM reads the request prechecks need: a role and its (decoded) trust policy.

export interface RoleTrust {
  arn: string;
  name: string;
  /** Trust policy JSON (URL-decoded). */
  trustPolicy: string;
  /** IAM's RoleLastUsed as GetRole reports it; null = never used within IAM's tracking window. */
  lastUsed: RoleLastUsed | null;
}

export function roleNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** The request workflow's IAM reads: a role and its trust, or null when IAM says NoSuchEntity (one GetRole: IamGateway's). */
export class IamReader {
  private readonly gateway: IamGateway;

  constructor(pool: AwsClientPool) {
    this.gateway = new IamGateway(pool);
  }

  async getRole(location: AwsLocation, roleArn: string): Promise<RoleTrust | null> {
    try {
      const role = await this.gateway.getRole(location, roleNameFromArn(roleArn));
      return role.arn ? { arn: role.arn, name: role.roleName || roleNameFromArn(roleArn), trustPolicy: role.trustPolicy, lastUsed: role.lastUsed ?? null } : null;
    } catch (e) {
      if (e instanceof AwsCallError && (e.code === "NoSuchEntityException" || e.code === "NoSuchEntity")) return null;
      throw e;
    }
  }

  /** The role's inline policy of that name (decoded JSON), or null when the role has none of that name. */
  async getRolePolicy(location: AwsLocation, roleArn: string, policyName: string): Promise<string | null> {
    try {
      return await this.gateway.getRolePolicy(location, roleNameFromArn(roleArn), policyName);
    } catch (e) {
      if (e instanceof AwsCallError && (e.code === "NoSuchEntityException" || e.code === "NoSuchEntity")) return null;
      throw e;
    }
  }
}

// IAM writes of the request workflow (IAM items, approved by the IAM team):
// UpdateAssumeRolePolicy and PutRolePolicy. SDK retries are off in the write
// pool: the apply job backs off and records attempts itself.

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

// The node roles of a cluster's managed node groups (EKS ListNodegroups +
// DescribeNodegroup -> nodeRole) with their inline policies (IAM
// ListRolePolicies + GetRolePolicy, decoded). Composes the inventory gateways;
// used by the request prechecks (is the role covered by the node role?).

export interface NodeRolePolicies {
  nodeRoleArn: string;
  nodegroups: string[];
  /** Inline policy name -> decoded JSON text. */
  inlinePolicies: Record<string, string>;
}

export class NodeRoleReader {
  private readonly eks: EksInventoryGateway;
  private readonly iam: IamGateway;

  constructor(pool: AwsClientPool) {
    this.eks = new EksInventoryGateway(pool);
    this.iam = new IamGateway(pool);
  }

  /** One entry per distinct node role of the cluster's node groups. */
  async nodeRoles(location: AwsLocation, clusterName: string): Promise<NodeRolePolicies[]> {
    const names = await this.eks.listNodegroupNames(location, clusterName);
    const groups = await Promise.all(names.map((n) => this.eks.describeNodegroup(location, clusterName, n)));
    const byRole = new Map<string, string[]>();
    for (const g of groups) if (g.nodeRoleArn) byRole.set(g.nodeRoleArn, [...(byRole.get(g.nodeRoleArn) ?? []), g.name]);
    return Promise.all(
      [...byRole].map(async ([nodeRoleArn, nodegroups]) => {
        const account = nodeRoleArn.split(":")[4] || location.accountId;
        const inlinePolicies = await this.iam.inlinePolicies({ ...location, accountId: account }, roleNameFromArn(nodeRoleArn));
        return { nodeRoleArn, nodegroups, inlinePolicies };
      }),
    );
  }
}
