"use server";
import { rejectRequestOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Reject a request with a reason: the `rejectRequestOp` operation's server action (same pipeline as its API route). */
export async function rejectRequestAction(input: unknown = {}) {
  return runPipeline(rejectRequestOp, input);
}
