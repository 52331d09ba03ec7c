"use server";
import { fileTightenedTrustOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** Role page "File this change" (tightened trust): the `fileTightenedTrustOp` operation's server action (same pipeline as its API route). */
export async function fileTightenedTrustAction(input: unknown = {}) {
  return runPipeline(fileTightenedTrustOp, input);
}
