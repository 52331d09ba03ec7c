"use server";
import { addFixItemOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Add a failing precheck's fix to a request as an IAM item: the `addFixItemOp` operation's server action (same pipeline as its API route). */
export async function addFixItemAction(input: unknown = {}) {
  return runPipeline(addFixItemOp, input);
}
