import { serveOperation } from "@/lib/core/http";
import { listMappingsOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/mappings: the `listMappingsOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request) {
  return serveOperation(listMappingsOp, request);
}
