"use server";
import { copyMappingsToGreenOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** /bluegreen "Copy mappings to Green": the `copyMappingsToGreenOp` operation's server action (same pipeline as its API route). */
export async function copyMappingsToGreenAction(input: unknown = {}) {
  return runPipeline(copyMappingsToGreenOp, input);
}
