import { z } from "zod";
import { handleApi } from "@/lib/core/http";
import { verifyConfiguredAuditTrail } from "@/lib/audit/verify-configured";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/audit/verify -> {valid, rows, unchained, legacy?, head?, firstBadRow?: {id, reason},
 *   checkpoints?: {checked, latest}, badCheckpoint?: {line, lastId, at, reason}}
 * The checkpoints are those of ROLEGATE_AUDIT_CHECKPOINT_FILE, when it exists.
 */
export async function GET() {
  return handleApi({ name: "verify-audit", permission: "audit:verify", input: z.object({}), handler: ({ prisma }) => verifyConfiguredAuditTrail(prisma) }, {});
}
