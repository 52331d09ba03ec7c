import { serveOperation } from "@/lib/core/http";
import { getRequestOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** GET /api/v1/requests/{id}: the `getRequestOp` operation (lib/api/operations/requests.ts). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(getRequestOp, request, context);
}
