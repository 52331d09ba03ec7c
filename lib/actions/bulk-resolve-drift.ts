"use server";
import { bulkResolveDriftOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** Adopt or revoke several drifts in one request: the `bulkResolveDriftOp` operation's server action (same pipeline as its API route). */
export async function bulkResolveDriftAction(input: unknown = {}) {
  return runPipeline(bulkResolveDriftOp, input);
}
