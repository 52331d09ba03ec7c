import { serveOperation } from "@/lib/core/http";
import { getBlueGreenOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** GET /api/v1/bluegreen: the `getBlueGreenOp` operation (lib/api/operations/lifecycle.ts). */
export async function GET(request: Request) {
  return serveOperation(getBlueGreenOp, request);
}
