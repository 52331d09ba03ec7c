import { serveOperation } from "@/lib/core/http";
import { restartStalePodsOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/stale-pods/restarts: the `restartStalePodsOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(restartStalePodsOp, request);
}
