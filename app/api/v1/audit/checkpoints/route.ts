import { z } from "zod";
import { handleApi } from "@/lib/core/http";
import { takeConfiguredAuditCheckpoint } from "@/lib/audit/checkpoint-job";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/audit/checkpoints -> 201 {v, keyId, lastId, hash, count, at, sig}: verifies the
 * chain, signs its head, appends it to ROLEGATE_AUDIT_CHECKPOINT_FILE and posts it to the
 * webhook (what the job does every ROLEGATE_AUDIT_CHECKPOINT_MINUTES); 409 when the chain
 * does not verify (nothing is signed).
 */
export async function POST(request: Request) {
  return handleApi(
    { name: "take-audit-checkpoint", permission: "audit:checkpoint", input: z.object({}), handler: ({ prisma }) => takeConfiguredAuditCheckpoint(prisma) },
    {},
    201,
    request,
  );
}
