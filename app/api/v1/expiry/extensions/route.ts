import { serveOperation } from "@/lib/core/http";
import { requestExpiryExtensionOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/expiry/extensions: the `requestExpiryExtensionOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(requestExpiryExtensionOp, request);
}
