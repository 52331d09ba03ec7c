"use server";
import { signOutOp } from "@/lib/api/operations/auth";
import { runPipeline } from "@/lib/core/pipeline";

/** End this browser session: the `signOutOp` operation's server action (same pipeline as its API route). */
export async function signOut(input: unknown = {}) {
  return runPipeline(signOutOp, input);
}
