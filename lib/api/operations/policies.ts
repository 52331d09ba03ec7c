import "server-only";
// Approval policies (admins): the settings page's form and the REST API add a
// version of a policy; a new version of an existing name deactivates the older
// ones, in one transaction with its audit row (lib/requests/approval-policies).
import { z } from "zod";
import { callerOf, defineOperation } from "@/lib/core/operation";
import { approvalPolicyInput, createApprovalPolicyVersion, latestPolicyVersion, listApprovalPolicies, policyPrioritySchema, POLICY_LIST_MAX, POLICY_VERSIONS_SHOWN } from "@/lib/requests";

const policyRow = z.looseObject({ id: z.string(), name: z.string(), version: z.number().int(), active: z.boolean(), requiredApprovals: z.number().int(), approverRole: z.string(), accountPattern: z.string(), regionPattern: z.string(), clusterPattern: z.string(), namespacePattern: z.string(), rolePattern: z.string(), priority: z.number().int() });

/** The settings form: it sends the version it was editing (previousVersion), so a concurrent edit is a 409. */
export const createApprovalPolicyVersionOp = defineOperation({
  name: "create-approval-policy-version",
  access: "policies:manage",
  input: approvalPolicyInput,
  async handler(ctx) {
    const created = await createApprovalPolicyVersion(ctx.prisma, callerOf(ctx), ctx.input);
    return { id: created.id, name: created.name, version: created.version, active: created.active };
  },
  audit: { recordedBy: "handler", events: ["approval_policy.created"] },
});

/** The API: patterns default to *, active to true; previousVersion is optional (absent: on top of the latest version). */
export const createApprovalPolicyOp = defineOperation({
  name: "create-approval-policy",
  access: "policies:manage",
  input: approvalPolicyInput.extend({
    previousVersion: approvalPolicyInput.shape.previousVersion.optional().meta({ description: "The version you are replacing (0: a new policy); a different latest version is a 409. Absent: the latest." }),
    clusterPattern: approvalPolicyInput.shape.clusterPattern.default("*"),
    namespacePattern: approvalPolicyInput.shape.namespacePattern.default("*"),
    rolePattern: approvalPolicyInput.shape.rolePattern.default("*"),
    active: z.boolean().default(true),
    priority: policyPrioritySchema.optional().meta({ description: "Higher wins among matching policies; absent: a new version keeps its policy's priority (0 for a new policy)" }),
  }),
  async handler(ctx) {
    const previousVersion = ctx.input.previousVersion ?? (await latestPolicyVersion(ctx.prisma, ctx.input.name));
    const { priority, ...input } = ctx.input;
    const created = await createApprovalPolicyVersion(ctx.prisma, callerOf(ctx), { ...input, previousVersion }, { priority });
    return { id: created.id, name: created.name, version: created.version };
  },
  audit: { recordedBy: "handler", events: ["approval_policy.created"] },
  http: {
    method: "POST",
    path: "/api/v1/approval-policies",
    status: 201,
    summary: "Add an approval policy, or the next version of one (the older versions of that name stop matching)",
    errors: [400, 403, 409],
    output: z.object({ id: z.uuid(), name: z.string(), version: z.number().int() }),
  },
});

export const listApprovalPoliciesOp = defineOperation({
  name: "list-approval-policies",
  access: "policies:manage",
  input: z.object({}),
  handler: (ctx) => listApprovalPolicies(ctx.prisma),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/approval-policies",
    status: 200,
    summary: `The approval policies by name (at most ${POLICY_LIST_MAX}; total and truncated say how many there are) with their newest versions (at most ${POLICY_VERSIONS_SHOWN} each) and how many requests each version decided`,
    output: z.object({
      policies: z.array(z.object({ name: z.string(), latest: policyRow, versions: z.array(policyRow.extend({ requests: z.number().int() })), versionsTotal: z.number().int(), versionsTruncated: z.boolean() })),
      total: z.number().int(),
      truncated: z.boolean(),
    }),
  },
});
