import { serveOperation } from "@/lib/core/http";
import { precheckOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/prechecks: the `precheckOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request) {
  return serveOperation(precheckOp, request);
}
