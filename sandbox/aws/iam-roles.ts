// IAM role operations. IAM is global per account: the caller's account owns
// every role it reads or writes. Policy documents are stored as plain JSON and
// URL-encoded only on the wire, exactly where AWS encodes them.
import type { SandboxAccount, SandboxRole } from "../model";
import type { SandboxContext } from "../context";
import { AwsError } from "./errors";
import { roleIdFor } from "./ids";
import { decodeToken, encodeToken, paginate } from "./paging";
import { attachablePolicyOrThrow } from "./iam-managed-catalogue";
import { intParam, isoSeconds, required, tagsParam, type Params, type XmlValue } from "./query-protocol";

const TRUST_POLICY_MAX = 2048;
const INLINE_POLICIES_MAX = 10240;

function noSuchRole(roleName: string): AwsError {
  return new AwsError("NoSuchEntity", `The role with name ${roleName} cannot be found.`, 404);
}

export function getRoleOrThrow(account: SandboxAccount, roleName: string): SandboxRole {
  const role = account.roles[roleName];
  if (!role) throw noSuchRole(roleName);
  return role;
}

/** IAM counts policy size without whitespace. */
function policySize(doc: string): number {
  return doc.replace(/\s/g, "").length;
}

export function checkPolicyDocument(doc: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.", 400);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || !("Statement" in parsed)) {
    throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.", 400);
  }
}

function checkTrustPolicy(doc: string): void {
  checkPolicyDocument(doc);
  if (policySize(doc) > TRUST_POLICY_MAX) {
    throw new AwsError("LimitExceeded", `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX}`, 409);
  }
}

function checkName(value: string, member: string, max: number): void {
  if (!/^[\w+=,.@-]+$/.test(value) || value.length > max) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
      400,
    );
  }
}

function roleXml(role: SandboxRole, withDetails: boolean): Record<string, XmlValue> {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: isoSeconds(role.createDate),
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: withDetails && role.permissionsBoundary ? { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: role.permissionsBoundary } : undefined,
    Tags: withDetails && role.tags.length > 0 ? role.tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
    // GetRole's RoleLastUsed: empty when never used (as AWS answers), else LastUsedDate + Region.
    RoleLastUsed: withDetails ? (role.lastUsed ? { LastUsedDate: isoSeconds(role.lastUsed.date), Region: role.lastUsed.region } : {}) : undefined,
  };
}

/** IAM's Marker/MaxItems/IsTruncated paging over names. */
export function pageByName<T>(items: T[], name: (t: T) => string, params: Params) {
  const maxItems = intParam(params, "MaxItems", 1, 1000) ?? 100;
  let after: string | undefined;
  if (params.Marker) {
    const decoded = decodeToken(params.Marker);
    if (decoded === null) throw new AwsError("ValidationError", "Invalid Marker.", 400);
    after = decoded;
  }
  const { page, nextKey } = paginate(items, name, after, maxItems);
  return {
    page,
    paging: { IsTruncated: nextKey !== undefined, Marker: nextKey !== undefined ? encodeToken(nextKey) : undefined },
  };
}

export type IamOp = (ctx: SandboxContext, account: SandboxAccount, params: Params) => Record<string, XmlValue> | undefined;

export const roleOperations: Record<string, IamOp> = {
  ListRoles(_ctx, account, params) {
    const prefix = params.PathPrefix ?? "/";
    const roles = Object.values(account.roles).filter((r) => r.path.startsWith(prefix));
    const { page, paging } = pageByName(roles, (r) => r.roleName.toLowerCase() + "\u0000" + r.roleName, params);
    return { Roles: page.map((r) => roleXml(r, false)), ...paging };
  },

  GetRole(_ctx, account, params) {
    return { Role: roleXml(getRoleOrThrow(account, required(params, "RoleName")), true) };
  },

  CreateRole(ctx, account, params) {
    const roleName = required(params, "RoleName");
    const doc = required(params, "AssumeRolePolicyDocument");
    checkName(roleName, "roleName", 64);
    const path = params.Path || "/";
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new AwsError("ValidationError", `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`, 400);
    }
    if (Object.values(account.roles).some((r) => r.roleName.toLowerCase() === roleName.toLowerCase())) {
      throw new AwsError("EntityAlreadyExists", `Role with name ${roleName} already exists.`, 409);
    }
    checkTrustPolicy(doc);
    const maxSessionDuration = intParam(params, "MaxSessionDuration", 3600, 43200) ?? 3600;
    const boundary = params.PermissionsBoundary ? attachablePolicyOrThrow(account, params.PermissionsBoundary, "boundary") : undefined;
    const role: SandboxRole = {
      roleName,
      roleId: roleIdFor(account.accountId, roleName),
      arn: `arn:aws:iam::${account.accountId}:role${path}${roleName}`,
      path,
      description: params.Description || undefined,
      createDate: ctx.now().toISOString(),
      maxSessionDuration,
      assumeRolePolicyDocument: doc,
      inlinePolicies: {},
      attachedPolicies: [],
      tags: tagsParam(params),
      ...(boundary ? { permissionsBoundary: boundary.arn } : {}),
    };
    account.roles[roleName] = role;
    ctx.changed();
    return { Role: roleXml(role, true) };
  },

  DeleteRole(ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    if (Object.keys(role.inlinePolicies).length > 0 || role.attachedPolicies.length > 0) {
      throw new AwsError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
    }
    delete account.roles[role.roleName];
    ctx.changed();
    return undefined;
  },

  UpdateAssumeRolePolicy(ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const doc = required(params, "PolicyDocument");
    checkTrustPolicy(doc);
    role.assumeRolePolicyDocument = doc;
    ctx.changed();
    return undefined;
  },

  ListRolePolicies(_ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const { page, paging } = pageByName(Object.keys(role.inlinePolicies), (n) => n, params);
    return { PolicyNames: page, ...paging };
  },

  GetRolePolicy(_ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const policyName = required(params, "PolicyName");
    const doc = role.inlinePolicies[policyName];
    if (doc === undefined) {
      throw new AwsError("NoSuchEntity", `The role policy with name ${policyName} cannot be found.`, 404);
    }
    return { RoleName: role.roleName, PolicyName: policyName, PolicyDocument: encodeURIComponent(doc) };
  },

  PutRolePolicy(ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const policyName = required(params, "PolicyName");
    const doc = required(params, "PolicyDocument");
    checkName(policyName, "policyName", 128);
    checkPolicyDocument(doc);
    const others = Object.entries(role.inlinePolicies).filter(([n]) => n !== policyName);
    const total = others.reduce((sum, [, d]) => sum + policySize(d), policySize(doc));
    if (total > INLINE_POLICIES_MAX) {
      throw new AwsError("LimitExceeded", `Maximum policy size of ${INLINE_POLICIES_MAX} bytes exceeded for role ${role.roleName}`, 409);
    }
    role.inlinePolicies[policyName] = doc;
    ctx.changed();
    return undefined;
  },

  DeleteRolePolicy(ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const policyName = required(params, "PolicyName");
    if (role.inlinePolicies[policyName] === undefined) {
      throw new AwsError("NoSuchEntity", `The role policy with name ${policyName} cannot be found.`, 404);
    }
    delete role.inlinePolicies[policyName];
    ctx.changed();
    return undefined;
  },

  ListAttachedRolePolicies(_ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const prefix = params.PathPrefix ?? "/";
    // Managed policy ARNs carry the path between "policy" and the name.
    const pathOf = (arn: string) => {
      const rest = arn.split(":policy")[1] ?? "/";
      return rest.slice(0, rest.lastIndexOf("/") + 1) || "/";
    };
    const attached = role.attachedPolicies.filter((p) => pathOf(p.policyArn).startsWith(prefix));
    const { page, paging } = pageByName(attached, (p) => p.policyName, params);
    return { AttachedPolicies: page.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })), ...paging };
  },
};
