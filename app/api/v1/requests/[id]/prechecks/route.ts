import { serveOperation } from "@/lib/core/http";
import { refreshPrechecksOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/prechecks: the `refreshPrechecksOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(refreshPrechecksOp, request, context);
}
