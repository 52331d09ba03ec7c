import { serveOperation } from "@/lib/core/http";
import { getTemplateOp } from "@/lib/api/operations/templates";

export const dynamic = "force-dynamic";

/** GET /api/v1/templates/{id}: the `getTemplateOp` operation (lib/api/operations/templates.ts). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(getTemplateOp, request, context);
}
