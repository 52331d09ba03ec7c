// The "create-role" item kind: a role born behind approval. Only the IAM team
// approves it; it is applied before the association items of its request (which
// wait for it). Apply is idempotent: the role is created tagged with the item's
// id, so a retry after a crash part-way converges the same role (attach, put,
// boundary are idempotent in IAM) and creates nothing twice; a role of that name
// that RoleGate did not create for this item is adopted only when its content is
// exactly what the item asks for, else the item fails with the differences.
import { AwsCallError } from "@/lib/aws/types";
import type { ItemKind } from "../item-kinds";
import { contentDifferences } from "./content";
import { CREATE_ROLE_KIND, INLINE_POLICY_NAME, roleSpecOf } from "./input";

export const CREATED_BY_TAG = "rolegate.io/request-item";

export const createRoleItemKind: ItemKind = {
  kind: CREATE_ROLE_KIND,
  prechecks: "none",
  approval: "iam-team",
  appliedFirst: true,
  async apply(ctx, location, item) {
    const { aws } = ctx;
    const spec = roleSpecOf(item.roleSpec);
    if (!spec) return { ok: false, errorCode: "NoRoleSpec", errorMessage: `Request item ${item.id} carries no role to create.` };
    const at = { ...location, accountId: item.accountId };
    // AWS errors are thrown: applyItem backs off transient ones and records the rest.
    const existing = await aws.roles.roleContent(at, spec.roleName);
    let awsRequestId: string | undefined;
    if (existing && existing.tags[CREATED_BY_TAG] !== item.id) {
      const differences = contentDifferences(spec, existing);
      if (differences.length > 0) {
        return { ok: false, errorCode: "RoleExistsDifferently", errorMessage: `Role ${spec.roleName} already exists (${existing.arn}) and differs from the requested one: ${differences.join("; ")}. Nothing was changed; file a request for a new name, or change the existing role through the IAM team.` };
      }
      return { ok: true, outcome: "adopted" };
    }
    if (!existing) {
      try {
        ({ awsRequestId } = await aws.roles.createRole(at, {
          roleName: spec.roleName,
          path: spec.path,
          ...(spec.description ? { description: spec.description } : {}),
          trustPolicy: spec.trustPolicy,
          maxSessionDuration: spec.maxSessionDuration,
          ...(spec.permissionsBoundaryArn ? { permissionsBoundaryArn: spec.permissionsBoundaryArn } : {}),
          tags: { ...spec.tags, [CREATED_BY_TAG]: item.id },
        }));
      } catch (e) {
        // Created by someone else since the read: judged again as an existing role.
        if (e instanceof AwsCallError && /^EntityAlreadyExists/.test(e.code)) return createRoleItemKind.apply(ctx, location, item);
        throw e;
      }
    } else if (spec.permissionsBoundaryArn && existing.permissionsBoundaryArn !== spec.permissionsBoundaryArn) {
      await aws.roles.putRolePermissionsBoundary(at, spec.roleName, spec.permissionsBoundaryArn);
    }
    // Resumed (created by this item before a crash) or new: what is missing is added.
    const attached = new Set(existing?.attachedPolicyArns ?? []);
    for (const arn of spec.managedPolicyArns) if (!attached.has(arn)) await aws.roles.attachRolePolicy(at, spec.roleName, arn);
    if (spec.inlinePolicy && existing?.inlinePolicies[INLINE_POLICY_NAME] !== spec.inlinePolicy) await aws.roles.putRolePolicy(at, spec.roleName, INLINE_POLICY_NAME, spec.inlinePolicy);
    return { ok: true, outcome: "created", ...(awsRequestId ? { awsRequestId } : {}) };
  },
};
