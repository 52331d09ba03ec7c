import { serveOperation } from "@/lib/core/http";
import { getUsageOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/usage: the `getUsageOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request) {
  return serveOperation(getUsageOp, request);
}
