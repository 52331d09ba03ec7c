import { serveOperation } from "@/lib/core/http";
import { listTemplatesOp } from "@/lib/api/operations/templates";

export const dynamic = "force-dynamic";

/** GET /api/v1/templates: the `listTemplatesOp` operation (lib/api/operations/templates.ts). */
export async function GET(request: Request) {
  return serveOperation(listTemplatesOp, request);
}
