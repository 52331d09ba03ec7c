import { serveOperation } from "@/lib/core/http";
import { searchRoleChoicesOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/role-choices: the `searchRoleChoicesOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request) {
  return serveOperation(searchRoleChoicesOp, request);
}
