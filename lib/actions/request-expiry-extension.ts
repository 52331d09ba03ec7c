"use server";
import { requestExpiryExtensionOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** /expiry "Request extension": the `requestExpiryExtensionOp` operation's server action (same pipeline as its API route). */
export async function requestExpiryExtensionAction(input: unknown = {}) {
  return runPipeline(requestExpiryExtensionOp, input);
}
