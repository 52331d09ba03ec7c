import { serveOperation } from "@/lib/core/http";
import { requestChangesOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/request-changes: the `requestChangesOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(requestChangesOp, request, context);
}
