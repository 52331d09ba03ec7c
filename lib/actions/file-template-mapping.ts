"use server";
import { fileTemplateMappingOp } from "@/lib/api/operations/templates";
import { runPipeline } from "@/lib/core/pipeline";

/** Map one service account under an active template: the `fileTemplateMappingOp` operation's server action (same pipeline as its API route). */
export async function fileTemplateMappingAction(input: unknown = {}) {
  return runPipeline(fileTemplateMappingOp, input);
}
