"use server";
import { revokeTemplateOp } from "@/lib/api/operations/templates";
import { runPipeline } from "@/lib/core/pipeline";

/** Revoke a template and file the revocation of its mappings: the `revokeTemplateOp` operation's server action (same pipeline as its API route). */
export async function revokeTemplateAction(input: unknown = {}) {
  return runPipeline(revokeTemplateOp, input);
}
