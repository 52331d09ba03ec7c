"use server";
import { retryRequestOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Retry a failed apply: the `retryRequestOp` operation's server action (same pipeline as its API route). */
export async function retryRequestAction(input: unknown = {}) {
  return runPipeline(retryRequestOp, input);
}
