// What a request may contain: validated once here for the API, the form and the domain.
import { z } from "zod";
import { accountIdSchema, clusterNameSchema, regionSchema, roleArnSchema } from "@/lib/config/schema";
import { namespaceError, serviceAccountError } from "@/lib/trust";
import { createRoleItemSchema, type CreateRoleInput } from "./create-role/input";

const namespace = z.string().trim().superRefine((v, ctx) => {
  const err = namespaceError(v);
  if (err) ctx.addIssue({ code: "custom", message: err });
});
const serviceAccount = z.string().trim().superRefine((v, ctx) => {
  const err = serviceAccountError(v);
  if (err) ctx.addIssue({ code: "custom", message: err });
});
const optionalText = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), s.optional());

export const itemInputSchema = z
  .object({
    kind: z.enum(["create", "update", "delete"]),
    cluster: clusterNameSchema,
    accountId: optionalText(accountIdSchema),
    region: optionalText(regionSchema),
    namespace,
    serviceAccount,
    roleArn: optionalText(roleArnSchema),
    targetRoleArn: optionalText(roleArnSchema),
    disableSessionTags: z.boolean().default(false),
    sessionPolicy: optionalText(z.string().max(10_000, "must be at most 10,000 characters")),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
    mappingExpiresAt: optionalText(z.coerce.date()),
    associationId: optionalText(z.string().regex(/^a-[0-9a-z]{17}$/, "must be an association id (a-...)")),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== "delete" && !v.roleArn) ctx.addIssue({ code: "custom", path: ["roleArn"], message: "is required for create and update" });
    if (Object.keys(v.tags).length > 50) ctx.addIssue({ code: "custom", path: ["tags"], message: "at most 50 tags" });
  });
export type ItemInput = z.infer<typeof itemInputSchema>;

const justification = z.string().trim().min(10, "explain why in at least 10 characters").max(2000);
/** Add the IAM changes the failing prechecks suggest (trust policy, node-role policy) as IAM items. */
const includeIamFixes = z.boolean().optional();
/** Delete items: also restart the SA's running pods after the delete, in the same request (default true). */
const restartPods = z.boolean().optional();

const requestBody = <J extends z.ZodType>(why: J) =>
  z.union([
    // A batch may also create roles (create-role items, lib/requests/create-role) that its create items name.
    z.object({ kind: z.literal("batch"), justification: why, includeIamFixes, restartPods, items: z.array(z.discriminatedUnion("kind", [itemInputSchema, createRoleItemSchema])).min(1).max(100) }),
    itemInputSchema.and(z.object({ justification: why, includeIamFixes, restartPods })),
  ]);
export const createRequestSchema = requestBody(justification);
export type CreateRequestInput = z.infer<typeof createRequestSchema>;
/** The live prechecks take the same body before the justification is written (the form runs them as soon as cluster, SA and role are known). */
export const precheckRequestSchema = requestBody(z.preprocess((v) => (v === "" ? undefined : v), justification.optional()));
export type PrecheckInput = z.infer<typeof precheckRequestSchema>;

/** The association items of a create-request input (a single request is a batch of one). */
export function itemsOf(input: PrecheckInput): ItemInput[] {
  if (input.kind === "batch" && "items" in input) return input.items.filter((i): i is ItemInput => i.kind !== "create-role");
  return [input as ItemInput];
}

/** The create-role items of a batch, each with its field prefix in the input. */
export function roleItemsOf(input: PrecheckInput): { input: CreateRoleInput; field: string }[] {
  if (input.kind !== "batch" || !("items" in input)) return [];
  return input.items.flatMap((i, k) => (i.kind === "create-role" ? [{ input: i, field: `items.${k}.` }] : []));
}

export const idSchema = z.object({ id: z.string().uuid("must be a request id (uuid)") });
export const approveSchema = idSchema.extend({
  comment: z.string().trim().max(2000).optional(),
  /** Approve although a blocking precheck fails (stored and audited as request.approved_with_override). */
  override: z.object({ reason: z.string().trim().min(10, "explain the override in at least 10 characters").max(2000) }).optional(),
});
/** Send back to the requester: what to change. */
export const requestChangesSchema = idSchema.extend({ reason: z.string().trim().min(3, "say what to change (at least 3 characters)").max(2000) });
export const resubmitSchema = idSchema.extend({ justification: z.string().trim().min(10, "at least 10 characters").max(2000).optional() });
export const addFixSchema = idSchema.extend({
  check: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, "must be a precheck id (e.g. trust-allows-pod-identity)"),
  item: z.number().int().min(0).max(10_000),
});
export const rejectSchema = idSchema.extend({ reason: z.string().trim().min(3, "give a reason (at least 3 characters)").max(2000) });
