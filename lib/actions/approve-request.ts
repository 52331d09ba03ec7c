"use server";
import { approveRequestOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** Approve a request (not your own): the `approveRequestOp` operation's server action (same pipeline as its API route). */
export async function approveRequestAction(input: unknown = {}) {
  return runPipeline(approveRequestOp, input);
}
