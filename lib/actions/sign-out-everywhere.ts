"use server";
import { signOutEverywhereOp } from "@/lib/api/operations/auth";
import { runPipeline } from "@/lib/core/pipeline";

/** End every browser session of the signed-in user: the `signOutEverywhereOp` operation's server action (same pipeline as its API route). */
export async function signOutEverywhere(input: unknown = {}) {
  return runPipeline(signOutEverywhereOp, input);
}
