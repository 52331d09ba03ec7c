"use server";
import { requestChangesOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Send a request back to its requester with what to change: the `requestChangesOp` operation's server action (same pipeline as its API route). */
export async function requestChangesAction(input: unknown = {}) {
  return runPipeline(requestChangesOp, input);
}
