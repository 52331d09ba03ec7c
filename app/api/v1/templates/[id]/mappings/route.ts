import { serveOperation } from "@/lib/core/http";
import { fileTemplateMappingOp } from "@/lib/api/operations/templates";

export const dynamic = "force-dynamic";

/** POST /api/v1/templates/{id}/mappings: the `fileTemplateMappingOp` operation (lib/api/operations/templates.ts). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(fileTemplateMappingOp, request, context);
}
