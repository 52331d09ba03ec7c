"use server";
import { approvalPolicyInput, createApprovalPolicyVersion } from "@/lib/requests/approval-policies";
import { runPipeline } from "@/lib/core/pipeline";

/** Admins only: version 1 of a new approval policy, or the next version of an existing one. */
export async function createApprovalPolicyVersionAction(input: unknown) {
  return runPipeline(
    {
      name: "create-approval-policy-version",
      permission: "policies:manage",
      input: approvalPolicyInput,
      async handler({ user, input, prisma }) {
        const created = await createApprovalPolicyVersion(prisma, user, input);
        return { id: created.id, name: created.name, version: created.version, active: created.active };
      },
    },
    input,
  );
}
