"use server";
import { startReviewCampaignOp } from "@/lib/api/operations/reviews";
import { runPipeline } from "@/lib/core/pipeline";

/** Start an access review campaign: the `startReviewCampaignOp` operation's server action (same pipeline as its API route). */
export async function startReviewCampaignAction(input: unknown = {}) {
  return runPipeline(startReviewCampaignOp, input);
}
