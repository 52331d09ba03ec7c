import { serveOperation } from "@/lib/core/http";
import { takeAuditCheckpointOp } from "@/lib/api/operations/audit";

export const dynamic = "force-dynamic";

/** POST /api/v1/audit/checkpoints: the `takeAuditCheckpointOp` operation (lib/api/operations/audit.ts). */
export async function POST(request: Request) {
  return serveOperation(takeAuditCheckpointOp, request);
}
