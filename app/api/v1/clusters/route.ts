import { serveOperation } from "@/lib/core/http";
import { listClustersOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/clusters: the `listClustersOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request) {
  return serveOperation(listClustersOp, request);
}
