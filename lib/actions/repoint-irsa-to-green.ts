"use server";
import { repointIrsaToGreenOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** /bluegreen IRSA re-pointing: the `repointIrsaToGreenOp` operation's server action (same pipeline as its API route). */
export async function repointIrsaToGreenAction(input: unknown = {}) {
  return runPipeline(repointIrsaToGreenOp, input);
}
