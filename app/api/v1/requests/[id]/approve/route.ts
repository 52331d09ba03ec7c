import { serveOperation } from "@/lib/core/http";
import { approveRequestOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/approve: the `approveRequestOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(approveRequestOp, request, context);
}
