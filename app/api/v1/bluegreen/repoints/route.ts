import { serveOperation } from "@/lib/core/http";
import { repointIrsaToGreenOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/bluegreen/repoints: the `repointIrsaToGreenOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(repointIrsaToGreenOp, request);
}
