import { serveOperation } from "@/lib/core/http";
import { refreshMappingsOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** POST /api/v1/mappings/refreshes: the `refreshMappingsOp` operation (lib/api/operations/inventory.ts). */
export async function POST(request: Request) {
  return serveOperation(refreshMappingsOp, request);
}
