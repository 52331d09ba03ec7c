import { serveOperation } from "@/lib/core/http";
import { getReviewReportOp } from "@/lib/api/operations/reviews";

export const dynamic = "force-dynamic";

/** GET /api/v1/reviews/{id}/report: the `getReviewReportOp` operation (lib/api/operations/reviews.ts). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(getReviewReportOp, request, context);
}
