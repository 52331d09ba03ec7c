import { serveOperation } from "@/lib/core/http";
import { listFindingsOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/findings: the `listFindingsOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request) {
  return serveOperation(listFindingsOp, request);
}
