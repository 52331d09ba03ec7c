// Turns role specs into SandboxRoles for every account of the demo fleet.
import type { SandboxRole } from "../model";
import { PROD_ACCOUNT } from "./constants";
import { daysAgo, roleId } from "./ids";
import { policyDoc } from "./policies";
import type { RoleSpec } from "./role-spec";
import { INFRA_ROLES, LAKE_ROLES } from "./roles-infra";
import { IRSA_ROLES, POD_IDENTITY_ROLES } from "./roles-workload";

const ALL_ROLE_SPECS: RoleSpec[] = [...IRSA_ROLES, ...POD_IDENTITY_ROLES, ...INFRA_ROLES, ...LAKE_ROLES];

function buildRole(spec: RoleSpec, now: Date): SandboxRole {
  const account = spec.account ?? PROD_ACCOUNT;
  const path = spec.path ?? "/";
  return {
    roleName: spec.name,
    roleId: roleId(account, spec.name),
    arn: `arn:aws:iam::${account}:role${path}${spec.name}`,
    path,
    ...(spec.description ? { description: spec.description } : {}),
    createDate: daysAgo(now, spec.ageDays),
    maxSessionDuration: spec.maxSessionDuration ?? 3600,
    assumeRolePolicyDocument: policyDoc(...spec.trust),
    inlinePolicies: { ...(spec.inline ?? {}) },
    attachedPolicies: [...(spec.attached ?? [])],
    tags: Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  };
}

/** Roles grouped by account id, keyed by role name. */
export function buildRoles(now: Date): Record<string, Record<string, SandboxRole>> {
  const out: Record<string, Record<string, SandboxRole>> = {};
  for (const spec of ALL_ROLE_SPECS) {
    const account = spec.account ?? PROD_ACCOUNT;
    (out[account] ??= {})[spec.name] = buildRole(spec, now);
  }
  return out;
}
