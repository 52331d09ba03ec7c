import { serveOperation } from "@/lib/core/http";
import { revokeTokenOp } from "@/lib/api/operations/auth";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/tokens/{id}: the `revokeTokenOp` operation (lib/api/operations/auth.ts). */
export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }) {
  return serveOperation(revokeTokenOp, request, context);
}
