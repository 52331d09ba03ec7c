// Response bodies of /api/v1, as zod schemas, for the OpenAPI document (the
// input schemas are the validation schemas themselves).
import { z } from "zod";

export const precheck = z
  .looseObject({ id: z.string(), item: z.number().int().optional(), status: z.enum(["pass", "fail", "warn"]), message: z.string(), fix: z.looseObject({ kind: z.string() }).optional() })
  .meta({ id: "Precheck" });

export const created = z.object({ id: z.uuid(), status: z.literal("pending"), prechecks: z.array(precheck) }).meta({ id: "Created" });

export const stateChange = z
  .looseObject({ id: z.string(), status: z.enum(["pending", "changes_requested", "approved", "applying", "rejected", "cancelled"]), approvals: z.number().int().optional(), requiredApprovals: z.number().int().optional() })
  .meta({ id: "StateChange" });

export const request = z
  .looseObject({
    id: z.string(),
    kind: z.enum(["create", "update", "delete", "batch"]),
    status: z.enum(["pending", "changes_requested", "approved", "applying", "applied", "failed", "rejected", "cancelled", "expired"]),
    approvals: z.number().int(),
    justification: z.string(),
    association: z.looseObject({ associationId: z.string(), associationArn: z.string(), externalId: z.string().nullable() }).nullable(),
    items: z.array(z.looseObject({ awsCall: z.looseObject({ operation: z.string() }).optional(), status: z.string() })),
    prechecks: z.array(precheck),
    prechecksAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "Request" });

/** A page of rows, as every list answers. */
export const page = <T extends z.ZodType>(row: T) => z.looseObject({ rows: z.array(row), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const errorBody = z
  .object({
    error: z.object({
      code: z.enum(["unauthenticated", "forbidden", "invalid", "conflict", "not_found", "unavailable", "rate_limited", "internal"]),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: "Messages per input field (400)" }),
    }),
  })
  .meta({ id: "Error" });

/** A started background job (scan, mappings refresh). */
export const started = (idField: string) => z.object({ [idField]: z.string().nullable(), alreadyRunning: z.boolean() });
