import { serveOperation } from "@/lib/core/http";
import { closeReviewCampaignOp } from "@/lib/api/operations/reviews";

export const dynamic = "force-dynamic";

/** POST /api/v1/reviews/{id}/close: the `closeReviewCampaignOp` operation (lib/api/operations/reviews.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(closeReviewCampaignOp, request, context);
}
