"use server";
import { closeReviewCampaignOp } from "@/lib/api/operations/reviews";
import { runPipeline } from "@/lib/core/pipeline";

/** Close a campaign and sign its audit checkpoint: the `closeReviewCampaignOp` operation's server action (same pipeline as its API route). */
export async function closeReviewCampaignAction(input: unknown = {}) {
  return runPipeline(closeReviewCampaignOp, input);
}
