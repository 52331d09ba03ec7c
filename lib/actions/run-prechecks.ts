"use server";
import { precheckOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Live prechecks for the new-request form: the `precheckOp` operation's server action (same pipeline as its API route). */
export async function runPrechecksAction(input: unknown = {}) {
  return runPipeline(precheckOp, input);
}
