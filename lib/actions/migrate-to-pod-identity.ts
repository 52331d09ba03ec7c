"use server";
import { migrateToPodIdentityOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** /migration "Migrate" (step 1): the `migrateToPodIdentityOp` operation's server action (same pipeline as its API route). */
export async function migrateToPodIdentityAction(input: unknown = {}) {
  return runPipeline(migrateToPodIdentityOp, input);
}
