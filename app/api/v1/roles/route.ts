import { serveOperation } from "@/lib/core/http";
import { listRolesOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/roles: the `listRolesOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request) {
  return serveOperation(listRolesOp, request);
}
