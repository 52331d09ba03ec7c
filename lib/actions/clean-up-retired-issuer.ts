"use server";
import { cleanUpRetiredIssuerOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** /bluegreen clean-up of a retired cluster's issuer: the `cleanUpRetiredIssuerOp` operation's server action (same pipeline as its API route). */
export async function cleanUpRetiredIssuerAction(input: unknown = {}) {
  return runPipeline(cleanUpRetiredIssuerOp, input);
}
