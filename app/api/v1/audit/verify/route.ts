import { serveOperation } from "@/lib/core/http";
import { verifyAuditOp } from "@/lib/api/operations/audit";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit/verify: the `verifyAuditOp` operation (lib/api/operations/audit.ts). */
export async function GET(request?: Request) {
  return serveOperation(verifyAuditOp, request);
}
