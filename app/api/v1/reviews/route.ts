import { serveOperation } from "@/lib/core/http";
import { listReviewCampaignsOp, startReviewCampaignOp } from "@/lib/api/operations/reviews";

export const dynamic = "force-dynamic";

/** GET /api/v1/reviews: the `listReviewCampaignsOp` operation (lib/api/operations/reviews.ts). */
export async function GET(request?: Request) {
  return serveOperation(listReviewCampaignsOp, request);
}

/** POST /api/v1/reviews: the `startReviewCampaignOp` operation (lib/api/operations/reviews.ts). */
export async function POST(request: Request) {
  return serveOperation(startReviewCampaignOp, request);
}
