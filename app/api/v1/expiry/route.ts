import { serveOperation } from "@/lib/core/http";
import { listExpiringMappingsOp } from "@/lib/api/operations/lifecycle-views";

export const dynamic = "force-dynamic";

/** GET /api/v1/expiry: the `listExpiringMappingsOp` operation (lib/api/operations/lifecycle-views.ts). */
export async function GET(request: Request) {
  return serveOperation(listExpiringMappingsOp, request);
}
