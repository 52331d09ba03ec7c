import "server-only";
// Reading and verifying the audit trail.
import { z } from "zod";
import { defineOperation } from "@/lib/core/operation";
import { exportResponse } from "@/lib/audit/export";
import { auditQuerySchema, listAudit } from "@/lib/audit/query";
import { verifyAuditChain } from "@/lib/audit/verify";
import { page } from "./schemas";

export const readAuditOp = defineOperation({
  name: "read-audit",
  access: "audit:read",
  input: z.intersection(
    auditQuerySchema,
    z.object({ format: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["json", "csv"], "must be json or csv").optional()) }),
  ),
  // With format: a streamed download of every matching row in chain order (X-Total-Count, X-Export-Truncated).
  handler: async ({ prisma, input: q }) => (q.format ? exportResponse(prisma, q, q.format) : listAudit(prisma, q)),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/audit",
    status: 200,
    summary: "Audit rows: one page as JSON, or with format=json|csv every matching row (at most 100,000) as a download",
    errors: [400],
    output: page(z.looseObject({ id: z.string(), event: z.string(), actor: z.string() })),
    produces: ["text/csv"],
  },
});

export const verifyAuditOp = defineOperation({
  name: "verify-audit",
  access: "audit:verify",
  input: z.object({}),
  handler: ({ prisma }) => verifyAuditChain(prisma),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/audit/verify",
    status: 200,
    summary: "Verify the audit hash chain",
    output: z.looseObject({ valid: z.boolean(), rows: z.number().int(), firstBadRow: z.looseObject({ id: z.string(), reason: z.string() }).optional() }),
  },
});
