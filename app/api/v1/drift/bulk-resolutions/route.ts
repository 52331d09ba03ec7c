import { serveOperation } from "@/lib/core/http";
import { bulkResolveDriftOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/drift/bulk-resolutions: the `bulkResolveDriftOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(bulkResolveDriftOp, request);
}
