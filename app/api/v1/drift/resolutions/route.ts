import { serveOperation } from "@/lib/core/http";
import { resolveDriftOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/drift/resolutions: the `resolveDriftOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(resolveDriftOp, request);
}
