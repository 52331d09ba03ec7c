import { serveOperation } from "@/lib/core/http";
import { readAuditOp } from "@/lib/api/operations/audit";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit: the `readAuditOp` operation (lib/api/operations/audit.ts). */
export async function GET(request: Request) {
  return serveOperation(readAuditOp, request);
}
