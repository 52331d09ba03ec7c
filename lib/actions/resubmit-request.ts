"use server";
import { resubmitRequestOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Resubmit a request sent back for changes: the `resubmitRequestOp` operation's server action (same pipeline as its API route). */
export async function resubmitRequestAction(input: unknown = {}) {
  return runPipeline(resubmitRequestOp, input);
}
