import { serveOperation } from "@/lib/core/http";
import { createRequestOp, listRequestsOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** GET /api/v1/requests: the `listRequestsOp` operation (lib/api/operations/requests.ts). */
export async function GET(request: Request) {
  return serveOperation(listRequestsOp, request);
}

/** POST /api/v1/requests: the `createRequestOp` operation (lib/api/operations/requests.ts). */
export async function POST(request: Request) {
  return serveOperation(createRequestOp, request);
}
