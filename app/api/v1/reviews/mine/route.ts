import { serveOperation } from "@/lib/core/http";
import { listMyReviewItemsOp } from "@/lib/api/operations/reviews";

export const dynamic = "force-dynamic";

/** GET /api/v1/reviews/mine: the `listMyReviewItemsOp` operation (lib/api/operations/reviews.ts). */
export async function GET(request: Request) {
  return serveOperation(listMyReviewItemsOp, request);
}
