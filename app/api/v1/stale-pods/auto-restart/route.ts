import { serveOperation } from "@/lib/core/http";
import { setAutoRestartOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/stale-pods/auto-restart: the `setAutoRestartOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(setAutoRestartOp, request);
}
