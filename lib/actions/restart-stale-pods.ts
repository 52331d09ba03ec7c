"use server";
import { restartStalePodsOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** Restart (or dry-run) a watched cluster's stale pods: the `restartStalePodsOp` operation's server action (same pipeline as its API route). */
export async function restartStalePodsAction(input: unknown = {}) {
  return runPipeline(restartStalePodsOp, input);
}
