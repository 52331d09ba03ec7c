// One account's IAM side: every role with its decoded trust policy, the OIDC
// providers, and (second pass) the inline and attached policies of node roles.
import type { AwsLocation, IamRoleInfo } from "@/lib/aws";
import { mapWithConcurrency } from "@/lib/util/concurrency";
import type { SnapshotOidcProvider, SnapshotRole } from "../snapshot-types";
import type { ScanContext } from "./context";

export interface AccountIam {
  roles: SnapshotRole[];
  oidcProviders: SnapshotOidcProvider[];
}

const iamScope = (location: AwsLocation, operation: string) => ({ accountId: location.accountId, region: "global", operation });

/** A role as the snapshot keeps it (policies empty: the second pass reads them for node roles). */
export function toSnapshotRole(r: IamRoleInfo): SnapshotRole {
  return {
    accountId: r.accountId,
    roleName: r.roleName,
    arn: r.arn,
    path: r.path,
    ...(r.createDate ? { createDate: r.createDate } : {}),
    trustPolicy: r.trustPolicy,
    inlinePolicies: {},
    attachedPolicyArns: [],
    tags: r.tags,
  };
}

export async function scanAccountIam(ctx: ScanContext, location: AwsLocation): Promise<AccountIam | undefined> {
  const { iam } = ctx.deps;
  ctx.progress.addTotal("accounts", 1);
  try {
    let listed = 0;
    const onPage = (n: number) => {
      // IAM does not say how many roles there are: the total grows page by page.
      ctx.progress.addTotal("roles", n - listed);
      ctx.progress.addDone("roles", n - listed);
      listed = n;
    };
    const [roles, providerArns] = await Promise.all([
      ctx.limited(iamScope(location, "ListRoles"), () => iam.listRoles(location, onPage)),
      ctx.limited(iamScope(location, "ListOpenIDConnectProviders"), () => iam.listOidcProviderArns(location)),
    ]);
    const oidcProviders = await mapWithConcurrency(providerArns, 4, (arn) =>
      ctx.limited(iamScope(location, "GetOpenIDConnectProvider"), () => iam.getOidcProvider(location, arn)),
    );
    return { roles: roles.map(toSnapshotRole), oidcProviders };
  } catch (e) {
    ctx.error(`account:${location.accountId}`, e);
    return undefined;
  } finally {
    ctx.progress.addDone("accounts");
  }
}

/** Fills inline policies and attached policy ARNs of the given roles (node roles) in place. */
export async function readRolePolicies(ctx: ScanContext, location: AwsLocation, roles: SnapshotRole[]): Promise<void> {
  const { iam } = ctx.deps;
  ctx.progress.addTotal("node-role-policies", roles.length);
  await mapWithConcurrency(roles, 4, async (role) => {
    try {
      const names = await ctx.limited(iamScope(location, "ListRolePolicies"), () => iam.listRolePolicyNames(location, role.roleName));
      for (const name of names) {
        role.inlinePolicies[name] = await ctx.limited(iamScope(location, "GetRolePolicy"), () => iam.getRolePolicy(location, role.roleName, name));
      }
      role.attachedPolicyArns = await ctx.limited(iamScope(location, "ListAttachedRolePolicies"), () =>
        iam.listAttachedPolicyArns(location, role.roleName),
      );
    } catch (e) {
      ctx.error(`role:${role.arn}`, e);
    } finally {
      ctx.progress.addDone("node-role-policies");
    }
  });
}
