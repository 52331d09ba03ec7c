import { serveOperation } from "@/lib/core/http";
import { getScanOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/scans/{id}: the `getScanOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(getScanOp, request, context);
}
