import "server-only";
// Reading and verifying the audit trail.
import { z } from "zod";
import { auditScope } from "@/lib/auth/audit-scope";
import { defineOperation } from "@/lib/core/operation";
import { exportResponse } from "@/lib/audit/export";
import { auditQuerySchema, listAudit } from "@/lib/audit/query";
import { takeConfiguredAuditCheckpoint } from "@/lib/workers/audit-checkpoints";
import { verifyConfiguredAuditTrail } from "@/lib/audit/verify-configured";
import { page } from "./schemas";

export const readAuditOp = defineOperation({
  name: "read-audit",
  access: "audit:read",
  input: auditQuerySchema.safeExtend({ format: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["json", "csv"], "must be json or csv").optional()) }),
  // With format: a streamed download of every matching row in chain order (X-Total-Count, X-Export-Truncated).
  // Requesters do not read other people's sign-in and SCIM events (lib/auth/audit-scope).
  handler: async ({ prisma, user, input: q }) =>
    q.format ? exportResponse(prisma, q, q.format, undefined, auditScope(user!)) : listAudit(prisma, q, auditScope(user!)),
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
  // The checkpoints are those of ROLEGATE_AUDIT_CHECKPOINT_FILE, when it exists.
  handler: ({ prisma }) => verifyConfiguredAuditTrail(prisma),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/audit/verify",
    status: 200,
    summary: "Verify the audit hash chain (keyed), and against the configured signed checkpoints",
    output: z.looseObject({
      valid: z.boolean(),
      rows: z.number().int(),
      firstBadRow: z.looseObject({ id: z.string(), reason: z.string() }).optional(),
      checkpoints: z.looseObject({ checked: z.number().int() }).optional(),
      badCheckpoint: z.looseObject({ line: z.number().int(), reason: z.string() }).optional(),
    }),
  },
});

export const takeAuditCheckpointOp = defineOperation({
  name: "take-audit-checkpoint",
  access: "audit:checkpoint",
  input: z.object({}),
  // Verifies the chain, signs its head, appends it to ROLEGATE_AUDIT_CHECKPOINT_FILE and posts it to the webhook.
  handler: ({ prisma }) => takeConfiguredAuditCheckpoint(prisma),
  audit: { outsideDatabase: "a signed checkpoint of the chain's head, appended to the checkpoint file and posted to the webhook: itself the audit evidence" },
  http: {
    method: "POST",
    path: "/api/v1/audit/checkpoints",
    status: 201,
    summary: "Sign a checkpoint of the audit chain's head now (file + webhook); 409 when the chain does not verify (nothing signed)",
    errors: [409],
    output: z.looseObject({ v: z.literal(1), keyId: z.string(), lastId: z.string().nullable(), hash: z.string(), count: z.number().int(), at: z.string(), sig: z.string() }),
  },
});
