"use server";
import { createApprovalPolicyVersionOp } from "@/lib/api/operations/policies";
import { runPipeline } from "@/lib/core/pipeline";

/** Admins: a new approval policy or the next version of one: the `createApprovalPolicyVersionOp` operation's server action (same pipeline as its API route). */
export async function createApprovalPolicyVersionAction(input: unknown = {}) {
  return runPipeline(createApprovalPolicyVersionOp, input);
}
