import { serveOperation } from "@/lib/core/http";
import { cancelRequestOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/cancel: the `cancelRequestOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(cancelRequestOp, request, context);
}
