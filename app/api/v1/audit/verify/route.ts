import { z } from "zod";
import { handleApi } from "@/lib/core/http";
import { verifyAuditChain } from "@/lib/audit/verify";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit/verify -> {valid, rows, unchained, head?, firstBadRow?: {id, reason}} */
export async function GET() {
  return handleApi({ name: "verify-audit", permission: "audit:verify", input: z.object({}), handler: ({ prisma }) => verifyAuditChain(prisma) }, {});
}
