// The IAM half of the AWS gateway: roles with their (decoded) trust policies,
// inline and attached policies, and OpenID Connect providers. IAM returns policy
// documents URL-encoded; everything leaving this module is decoded JSON text.
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  type Role,
} from "@aws-sdk/client-iam";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import type { IamRoleInfo, OidcProviderInfo } from "./inventory-types";
import type { AwsLocation } from "./types";

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
  };
}

export class IamGateway {
  constructor(private readonly pool: AwsClientPool) {}

  /** Every role of the account, one page (up to 1,000 roles) per call. */
  async listRoles(location: AwsLocation, onPage?: (count: number) => void): Promise<IamRoleInfo[]> {
    const roles: IamRoleInfo[] = [];
    let marker: string | undefined;
    do {
      const out = await this.call("ListRoles", () => this.pool.iamFor(location).send(new ListRolesCommand({ MaxItems: 1000, Marker: marker })));
      for (const r of out.Roles ?? []) roles.push(roleInfo(location.accountId, r));
      onPage?.(roles.length);
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return roles;
  }

  async getRole(location: AwsLocation, roleName: string): Promise<IamRoleInfo> {
    const out = await this.call("GetRole", () => this.pool.iamFor(location).send(new GetRoleCommand({ RoleName: roleName })));
    if (!out.Role) throw new Error(`GetRole ${roleName} returned no role`);
    return roleInfo(location.accountId, out.Role);
  }

  async listRolePolicyNames(location: AwsLocation, roleName: string): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const out = await this.call("ListRolePolicies", () =>
        this.pool.iamFor(location).send(new ListRolePoliciesCommand({ RoleName: roleName, MaxItems: 1000, Marker: marker })),
      );
      names.push(...(out.PolicyNames ?? []));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return names;
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
    const arns: string[] = [];
    let marker: string | undefined;
    do {
      const out = await this.call("ListAttachedRolePolicies", () =>
        this.pool.iamFor(location).send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, MaxItems: 1000, Marker: marker })),
      );
      for (const p of out.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return arns;
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

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toAwsCallError(operation, e);
    }
  }
}
