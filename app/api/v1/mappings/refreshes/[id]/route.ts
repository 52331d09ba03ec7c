import { serveOperation } from "@/lib/core/http";
import { getMappingRefreshOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/mappings/refreshes/{id}: the `getMappingRefreshOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(getMappingRefreshOp, request, context);
}
