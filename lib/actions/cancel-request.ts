"use server";
import { cancelRequestOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Cancel a pending request: the `cancelRequestOp` operation's server action (same pipeline as its API route). */
export async function cancelRequestAction(input: unknown = {}) {
  return runPipeline(cancelRequestOp, input);
}
