import { serveOperation } from "@/lib/core/http";
import { listStalePodsOp } from "@/lib/api/operations/lifecycle-views";

export const dynamic = "force-dynamic";

/** GET /api/v1/stale-pods: the `listStalePodsOp` operation (lib/api/operations/lifecycle-views.ts). */
export async function GET(request: Request) {
  return serveOperation(listStalePodsOp, request);
}
