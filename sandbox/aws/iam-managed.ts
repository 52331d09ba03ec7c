// IAM managed-policy operations on roles: attach/detach (at most 10 per role, as
// AWS's PoliciesPerRole quota), the permissions boundary, and ListPolicies over
// AWS's catalogue and the account's own policies, paged as IAM pages.
import { AwsError } from "./errors";
import { hashChars } from "./ids";
import { attachablePolicies, attachablePolicyOrThrow } from "./iam-managed-catalogue";
import { getRoleOrThrow, pageByName, type IamOp } from "./iam-roles";
import { isoSeconds, required } from "./query-protocol";

const POLICIES_PER_ROLE = 10;
// AWS's catalogue entries carry their own dates; one fixed date stands for them all.
const CATALOGUE_DATE = "2015-02-06T18:40:00.000Z";
const SCOPES = ["All", "AWS", "Local"];

export const managedPolicyOperations: Record<string, IamOp> = {
  AttachRolePolicy(ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const policy = attachablePolicyOrThrow(account, required(params, "PolicyArn"), "policy");
    // Attaching an attached policy is a no-op, as in AWS.
    if (role.attachedPolicies.some((p) => p.policyArn === policy.arn)) return undefined;
    if (role.attachedPolicies.length >= POLICIES_PER_ROLE) {
      throw new AwsError("LimitExceeded", `Cannot exceed quota for PoliciesPerRole: ${POLICIES_PER_ROLE}`, 409);
    }
    role.attachedPolicies.push({ policyName: policy.policyName, policyArn: policy.arn });
    ctx.changed();
    return undefined;
  },

  DetachRolePolicy(ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    const arn = required(params, "PolicyArn");
    const index = role.attachedPolicies.findIndex((p) => p.policyArn === arn);
    if (index < 0) throw new AwsError("NoSuchEntity", `Policy ${arn} was not found.`, 404);
    role.attachedPolicies.splice(index, 1);
    ctx.changed();
    return undefined;
  },

  PutRolePermissionsBoundary(ctx, account, params) {
    const role = getRoleOrThrow(account, required(params, "RoleName"));
    role.permissionsBoundary = attachablePolicyOrThrow(account, required(params, "PermissionsBoundary"), "boundary").arn;
    ctx.changed();
    return undefined;
  },

  ListPolicies(_ctx, account, params) {
    const scope = params.Scope || "All";
    if (!SCOPES.includes(scope)) {
      throw new AwsError("ValidationError", `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`, 400);
    }
    const prefix = params.PathPrefix || "/";
    const onlyAttached = params.OnlyAttached === "true";
    const roles = Object.values(account.roles);
    const attachments = (arn: string) => roles.filter((r) => r.attachedPolicies.some((p) => p.policyArn === arn)).length;
    const boundaries = (arn: string) => roles.filter((r) => r.permissionsBoundary === arn).length;
    const policies = [...attachablePolicies(account).values()]
      .filter((p) => (scope === "All" ? true : scope === "AWS" ? p.arn.includes("::aws:") : !p.arn.includes("::aws:")))
      .filter((p) => p.path.startsWith(prefix))
      .filter((p) => !onlyAttached || attachments(p.arn) > 0);
    const { page, paging } = pageByName(policies, (p) => p.policyName + "\u0000" + p.arn, params);
    return {
      Policies: page.map((p) => ({
        PolicyName: p.policyName,
        PolicyId: "ANPA" + hashChars(`policy:${p.arn}`, 17),
        Arn: p.arn,
        Path: p.path,
        DefaultVersionId: "v1",
        AttachmentCount: attachments(p.arn),
        PermissionsBoundaryUsageCount: boundaries(p.arn),
        IsAttachable: true,
        CreateDate: isoSeconds(CATALOGUE_DATE),
        UpdateDate: isoSeconds(CATALOGUE_DATE),
      })),
      ...paging,
    };
  },
};
