import { serveOperation } from "@/lib/core/http";
import { getDriftOp } from "@/lib/api/operations/lifecycle-views";

export const dynamic = "force-dynamic";

/** GET /api/v1/drift: the `getDriftOp` operation (lib/api/operations/lifecycle-views.ts). */
export async function GET(request: Request) {
  return serveOperation(getDriftOp, request);
}
