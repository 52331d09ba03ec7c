"use server";
import { resolveDriftOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** The /drift buttons (adopt, revoke, re-apply, restore): the `resolveDriftOp` operation's server action (same pipeline as its API route). */
export async function resolveDriftAction(input: unknown = {}) {
  return runPipeline(resolveDriftOp, input);
}
