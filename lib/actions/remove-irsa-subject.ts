"use server";
import { removeIrsaSubjectOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** /migration "Remove IRSA subject" (clean-up): the `removeIrsaSubjectOp` operation's server action (same pipeline as its API route). */
export async function removeIrsaSubjectAction(input: unknown = {}) {
  return runPipeline(removeIrsaSubjectOp, input);
}
