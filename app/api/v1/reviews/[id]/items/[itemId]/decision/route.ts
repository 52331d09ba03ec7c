import { serveOperation } from "@/lib/core/http";
import { decideReviewItemOp } from "@/lib/api/operations/reviews";

export const dynamic = "force-dynamic";

/** POST /api/v1/reviews/{id}/items/{itemId}/decision: the `decideReviewItemOp` operation (lib/api/operations/reviews.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string; itemId: string }> }) {
  return serveOperation(decideReviewItemOp, request, context);
}
