"use server";
import { decideReviewItemOp } from "@/lib/api/operations/reviews";
import { runPipeline } from "@/lib/core/pipeline";

/** Keep or revoke one of your review items: the `decideReviewItemOp` operation's server action (same pipeline as its API route). */
export async function decideReviewItemAction(input: unknown = {}) {
  return runPipeline(decideReviewItemOp, input);
}
