// Turns role specs into SandboxRoles for every account of the demo fleet.
import type { SandboxRole } from "../model";
import { PROD_ACCOUNT } from "./constants";
import { daysAgo, roleId } from "./ids";
import { policyDoc } from "./policies";
import type { RoleSpec } from "./role-spec";
import { INFRA_ROLES, LAKE_ROLES } from "./roles-infra";
import { IRSA_ROLES, POD_IDENTITY_ROLES } from "./roles-workload";

const ALL_ROLE_SPECS: RoleSpec[] = [...IRSA_ROLES, ...POD_IDENTITY_ROLES, ...INFRA_ROLES, ...LAKE_ROLES];

// RoleLastUsed as IAM reports it for the demo fleet: most workload roles used
// within days, a few long ago (abandoned jobs), some never. Roles not listed
// were used a day ago. Read by access reviews (lib/reviews) as evidence.
const LAST_USED_DAYS_AGO: Record<string, number | null> = {
  "domino-irsa-ml-training": 210,
  "domino-irsa-sagemaker": 160,
  "domino-irsa-legacy-s3": 380,
  "domino-irsa-legacy-and-blue": 300,
  "domino-irsa-aud-only": 120,
  "domino-irsa-bedrock": null,
  "domino-irsa-emr-studio": 95,
  "domino-irsa-redshift-query": 14,
  "domino-pi-unmapped": null,
  "domino-pi-churn-model": 120,
  "domino-pi-notebook-sync": 130,
  "domino-pi-legacy-dwh": 200,
  "domino-pi-airflow-bridge": null,
  "domino-pi-report-builder": null,
  "domino-pi-finance-export": 45,
  "domino-pi-cross-source-audit": 100,
};

function buildRole(spec: RoleSpec, now: Date): SandboxRole {
  const account = spec.account ?? PROD_ACCOUNT;
  const lastUsedDays = spec.lastUsedDaysAgo !== undefined ? spec.lastUsedDaysAgo : spec.name in LAST_USED_DAYS_AGO ? LAST_USED_DAYS_AGO[spec.name]! : 1;
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
    // A role is never used before it exists: the last use is at or after its creation.
    ...(lastUsedDays !== null ? { lastUsed: { date: daysAgo(now, Math.min(lastUsedDays, spec.ageDays)), region: "us-east-1" } } : {}),
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
