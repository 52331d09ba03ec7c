import { serveOperation } from "@/lib/core/http";
import { getRoleOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/roles/{arn}: the `getRoleOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request, context: { params: Promise<{ arn: string }> }) {
  return serveOperation(getRoleOp, request, context);
}
