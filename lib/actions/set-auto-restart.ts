"use server";
import { setAutoRestartOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** Admins: auto-restart a namespace's stale pods: the `setAutoRestartOp` operation's server action (same pipeline as its API route). */
export async function setAutoRestartAction(input: unknown = {}) {
  return runPipeline(setAutoRestartOp, input);
}
