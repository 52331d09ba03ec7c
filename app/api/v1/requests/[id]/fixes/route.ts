import { serveOperation } from "@/lib/core/http";
import { addFixItemOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/fixes: the `addFixItemOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(addFixItemOp, request, context);
}
