import { serveOperation } from "@/lib/core/http";
import { resubmitRequestOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/resubmit: the `resubmitRequestOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(resubmitRequestOp, request, context);
}
