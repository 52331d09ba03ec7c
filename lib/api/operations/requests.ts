import "server-only";
// Request operations: filing, the live prechecks of the new-request form,
// reading, re-running the prechecks of a filed request, and the review
// transitions. Each is one spec: the server action, the /api/v1 route and the
// OpenAPI entry derive from it.
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { hitLimit, PRECHECK_LIMIT } from "@/lib/auth/rate-limit";
import type { AuditEventType } from "@/lib/audit/events";
import { actorOf, callerOf, defineOperation, type Access, type HttpSpec } from "@/lib/core/operation";
import { fileTemplate, templateRequestSchema } from "@/lib/templates";
import { addFixItem, addFixSchema, managedPolicySearchSchema, searchManagedPolicies, approveRequest, approveSchema, type CreateRequestInput, cancelRequest, checkItems, createRequest, createRequestSchema, idSchema, precheckRequestSchema, listQuerySchema, listRequests, locateItems, freshPrechecks, refreshPrechecks, rejectRequest, rejectSchema, requestChanges, requestChangesSchema, resubmitRequest, resubmitSchema, retryRequest, type RequestsDeps } from "@/lib/requests";
import { findRequestView } from "@/lib/requests/queries";
import { runtime } from "@/lib/runtime";
import type { PrismaClient } from "@/lib/db/generated/client";
import { created, page, precheck, request, stateChange } from "./schemas";

const TRANSITION_ERRORS = [400, 403, 404, 409] as const;
/** Live checks read AWS for every item: at most this many per precheck call (not exported: every export of this module is an operation). */
const MAX_PRECHECK_ITEMS = 20;

type Actor = ReturnType<typeof actorOf>;

/** A review transition of a filed request (POST /api/v1/requests/{id}/...): the service changes state by compare-and-swap and audits it. */
function transitionOperation<S extends z.ZodType, T>(op: {
  name: string;
  access: Access;
  input: S;
  transition: (deps: RequestsDeps, actor: Actor, input: z.infer<S>) => Promise<T>;
  events: readonly AuditEventType[];
  path: HttpSpec["path"];
  summary: string;
}) {
  return defineOperation({
    name: op.name,
    access: op.access,
    input: op.input,
    handler: (ctx) => op.transition(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input),
    audit: { recordedBy: "handler", events: op.events },
    http: { method: "POST", path: op.path, status: 200, summary: op.summary, errors: TRANSITION_ERRORS, output: stateChange },
  });
}

export const createRequestOp = defineOperation({
  name: "create-request",
  access: "requests:create",
  // kind "template" files a standing approval (lib/templates): a request with one "template" item only the IAM team approves.
  input: z.union([templateRequestSchema, createRequestSchema]),
  handler: async (ctx) => {
    const input = ctx.input;
    if (input.kind === "template") {
      const filed = await fileTemplate(runtime().templateDeps(ctx.prisma), actorOf(ctx), input);
      return { ...filed, prechecks: [] };
    }
    return createRequest(runtime().requestsDeps(ctx.prisma), actorOf(ctx), input as CreateRequestInput);
  },
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: {
    method: "POST",
    path: "/api/v1/requests",
    status: 201,
    summary: "File a request (one item, kind=batch with items, or kind=template: a standing approval, templateId and version in the answer)",
    errors: [400, 403, 409],
    output: created.extend({ templateId: z.uuid().optional(), version: z.number().int().optional() }),
  },
});

export const managedPoliciesOp = defineOperation({
  name: "search-managed-policies",
  access: "requests:create",
  input: managedPolicySearchSchema,
  // A read of IAM's catalogue (ListPolicies Scope=AWS), for the managedPolicyArns of a create-role item; nothing is written.
  handler: (ctx) => searchManagedPolicies(runtime().requestsDeps(ctx.prisma), ctx.input),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/managed-policies",
    status: 200,
    summary: "AWS managed policies whose name or ARN contains `query` (at most 50, by name, with the total), for create-role items",
    errors: [400, 403],
    output: z.object({ policies: z.array(z.object({ name: z.string(), arn: z.string(), path: z.string() })), total: z.number().int() }),
  },
});

export const precheckOp = defineOperation({
  name: "run-prechecks",
  access: "requests:create",
  input: precheckRequestSchema.superRefine((v, ctx) => {
    if (v.kind === "batch" && "items" in v && v.items.length > MAX_PRECHECK_ITEMS) ctx.addIssue({ code: "custom", path: ["items"], message: `at most ${MAX_PRECHECK_ITEMS} items per precheck call` });
  }),
  handler: async (ctx) => {
    const deps = runtime().requestsDeps(ctx.prisma);
    // Refused without an AWS call (expiry, cluster, targets): not counted, nothing written.
    const located = await locateItems(deps, ctx.input);
    // Each counted call reaches AWS for every item: per user, shared by every replica (lib/auth/rate-limit).
    const wait = await hitLimit(ctx.prisma, `prechecks:${ctx.user!.id}`, PRECHECK_LIMIT);
    if (wait) throw new DomainError("rate_limited", `Too many precheck runs: at most ${PRECHECK_LIMIT.limit} a minute. Wait ${wait} s and try again.`);
    const { prechecks, roles } = await checkItems(deps, ctx.input, located);
    // The roles its create-role items would create, as they will be born (ARN, generated trust): the form shows them before filing.
    return { prechecks, bornRoles: roles.born };
  },
  // Reads AWS and the inventory only; nothing is stored but the caller's rate-limit counter, bumped once the call reaches AWS.
  audit: "read-only",
  http: { method: "POST", path: "/api/v1/prechecks", status: 200, summary: "Run the prechecks of a request body without filing it (a batch's create items counting its create-role items' roles as born; bornRoles: those roles with the trust they will be born with)", errors: [400, 403], output: z.object({ prechecks: z.array(precheck), bornRoles: z.array(z.object({ arn: z.string(), name: z.string(), trustPolicy: z.string() })) }) },
});

export const getRequestOp = defineOperation({
  name: "get-request",
  access: "requests:read",
  input: idSchema.extend({
    prechecks: z.enum(["stored", "fresh"], "must be stored or fresh").optional().meta({ description: "fresh: run the prechecks now and answer them (not stored; POST .../prechecks stores them)" }),
  }),
  handler: async (ctx) => {
    const view = await findRequestView(ctx.input.id);
    if (ctx.input.prechecks !== "fresh") return view;
    // Computed, not stored: a GET writes nothing.
    const { prechecks, prechecksAt } = await freshPrechecks(runtime().requestsDeps(ctx.prisma), ctx.input.id);
    return { ...view, prechecks, prechecksAt };
  },
  audit: "read-only",
  http: { method: "GET", path: "/api/v1/requests/{id}", status: 200, summary: "A request with items, AWS call preview, reviews and timeline", errors: [400, 404], output: request },
});

export const refreshPrechecksOp = defineOperation({
  name: "refresh-prechecks",
  access: "requests:precheck",
  input: idSchema,
  // The stored results change: run in the pipeline's transaction, with its audit row.
  handler: (ctx) => refreshPrechecks({ ...runtime().requestsDeps(ctx.prisma), prisma: ctx.tx as unknown as PrismaClient }, ctx.input.id),
  audit: { event: "request.prechecks_refreshed", subject: (i) => `request:${i.id}`, details: (_i, r) => ({ prechecksAt: r.prechecksAt.toISOString(), failed: r.prechecks.filter((p) => p.status === "fail").length }) },
  http: {
    method: "POST",
    path: "/api/v1/requests/{id}/prechecks",
    status: 200,
    summary: "Run a filed request's prechecks again; stores them with their time",
    errors: [400, 403, 404],
    output: z.object({ id: z.string(), prechecks: z.array(precheck), prechecksAt: z.iso.datetime() }),
  },
});

export const listRequestsOp = defineOperation({
  name: "list-requests",
  access: "requests:read",
  input: listQuerySchema,
  handler: (ctx) => listRequests({ prisma: ctx.prisma, kinds: runtime().kinds }, { ...actorOf(ctx), kind: callerOf(ctx).kind }, ctx.input),
  audit: "read-only",
  http: { method: "GET", path: "/api/v1/requests", status: 200, summary: "List requests (tab=mine|review|all)", errors: [400], output: page(z.looseObject({ id: z.string(), status: z.string() })) },
});

export const approveRequestOp = transitionOperation({ name: "approve-request", access: "requests:review", input: approveSchema, transition: approveRequest, events: ["request.approval_recorded", "request.approved"], path: "/api/v1/requests/{id}/approve", summary: "Approve (not your own)" });

export const rejectRequestOp = transitionOperation({ name: "reject-request", access: "requests:review", input: rejectSchema, transition: rejectRequest, events: ["request.rejected"], path: "/api/v1/requests/{id}/reject", summary: "Reject with a reason" });

export const cancelRequestOp = transitionOperation({ name: "cancel-request", access: "requests:cancel", input: idSchema, transition: cancelRequest, events: ["request.cancelled"], path: "/api/v1/requests/{id}/cancel", summary: "Cancel a pending request (requester or admin)" });

export const retryRequestOp = transitionOperation({ name: "retry-request", access: "requests:retry", input: idSchema, transition: retryRequest, events: ["request.retried"], path: "/api/v1/requests/{id}/retry", summary: "Retry a failed apply" });

export const requestChangesOp = transitionOperation({ name: "request-changes", access: "requests:review", input: requestChangesSchema, transition: requestChanges, events: ["request.changes_requested"], path: "/api/v1/requests/{id}/request-changes", summary: "Send a pending request back to its requester with what to change" });

export const resubmitRequestOp = transitionOperation({ name: "resubmit-request", access: "requests:create", input: resubmitSchema, transition: resubmitRequest, events: ["request.resubmitted"], path: "/api/v1/requests/{id}/resubmit", summary: "Resubmit a request sent back with changes requested (requester only)" });

export const addFixItemOp = defineOperation({
  name: "add-fix-item",
  // The service decides: the requester, or a reviewer of this request.
  access: "requests:create",
  input: addFixSchema,
  handler: (ctx) => addFixItem(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["request.item_added"] },
  http: {
    method: "POST",
    path: "/api/v1/requests/{id}/fixes",
    status: 201,
    summary: "Add a failing precheck's suggested fix to an open request as an IAM item (requester or reviewer)",
    errors: TRANSITION_ERRORS,
    output: z.object({ id: z.string(), status: z.string(), itemId: z.string(), kind: z.string(), position: z.number().int() }),
  },
});
