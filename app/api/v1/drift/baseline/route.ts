import { serveOperation } from "@/lib/core/http";
import { adoptDriftBaselineOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/drift/baseline: the `adoptDriftBaselineOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(adoptDriftBaselineOp, request);
}
