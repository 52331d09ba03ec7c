import { serveOperation } from "@/lib/core/http";
import { retryRequestOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/retry: the `retryRequestOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(retryRequestOp, request, context);
}
