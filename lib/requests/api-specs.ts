import "server-only";
// One pipeline spec per request operation, shared by the /api/v1 routes and the
// server actions: the same authentication, validation, permission and handler.
import { z } from "zod";
import type { ActionContext } from "@/lib/core/pipeline";
import type { Permission } from "@/lib/auth/permissions";
import { hitLimit, PRECHECK_LIMIT } from "@/lib/auth/rate-limit";
import { DomainError } from "@/lib/core/errors";
import { approveRequest } from "./approve-request";
import { cancelRequest } from "./cancel-request";
import { checkItems, createRequest } from "./create-request";
import { getRequestView } from "./get-request";
import { approveSchema, createRequestSchema, idSchema, rejectSchema } from "./input";
import { listQuerySchema, listRequests } from "./list-requests";
import { refreshPrechecks } from "./refresh-prechecks";
import { rejectRequest } from "./reject-request";
import { retryRequest } from "./retry-request";
import { requestsDeps } from "./service";

type Spec<S extends z.ZodType, T> = { name: string; permission: Permission; input: S; handler: (ctx: ActionContext<z.infer<S>>) => Promise<T> };
export const MAX_PRECHECK_ITEMS = 20;
const spec = <S extends z.ZodType, T>(s: Spec<S, T>) => s;
const actor = (ctx: ActionContext<unknown>) => ({ id: ctx.user.id, login: ctx.user.login, role: ctx.user.role });

export const createRequestSpec = spec({
  name: "create-request",
  permission: "requests:create",
  input: createRequestSchema,
  handler: (ctx) => createRequest(requestsDeps(ctx.prisma), actor(ctx), ctx.input),
});

export const precheckSpec = spec({
  name: "run-prechecks",
  permission: "requests:create",
  // Live checks read AWS for every item: at most MAX_PRECHECK_ITEMS per call.
  input: createRequestSchema.superRefine((v, ctx) => {
    if (v.kind === "batch" && "items" in v && v.items.length > MAX_PRECHECK_ITEMS) ctx.addIssue({ code: "custom", path: ["items"], message: `at most ${MAX_PRECHECK_ITEMS} items per precheck call` });
  }),
  handler: async (ctx) => {
    // Each call reaches AWS for every item: per user, shared by every replica (lib/auth/rate-limit).
    const wait = await hitLimit(ctx.prisma, `prechecks:${ctx.user.id}`, PRECHECK_LIMIT);
    if (wait) throw new DomainError("rate_limited", `Too many precheck runs: at most ${PRECHECK_LIMIT.limit} a minute. Wait ${wait} s and try again.`);
    return { prechecks: (await checkItems(requestsDeps(ctx.prisma), ctx.input)).prechecks };
  },
});

export const getRequestSpec = spec({
  name: "get-request",
  permission: "requests:read",
  input: idSchema.extend({ prechecks: z.enum(["stored", "fresh"], "must be stored or fresh").optional() }),
  handler: async (ctx) => {
    if (ctx.input.prechecks === "fresh") await refreshPrechecks(requestsDeps(ctx.prisma), ctx.input.id);
    return getRequestView(ctx.prisma, ctx.input.id);
  },
});

export const refreshPrechecksSpec = spec({ name: "refresh-prechecks", permission: "requests:precheck", input: idSchema, handler: (ctx) => refreshPrechecks(requestsDeps(ctx.prisma), ctx.input.id) });

export const listRequestsSpec = spec({ name: "list-requests", permission: "requests:read", input: listQuerySchema, handler: (ctx) => listRequests(ctx.prisma, actor(ctx), ctx.input) });

export const approveRequestSpec = spec({ name: "approve-request", permission: "requests:review", input: approveSchema, handler: (ctx) => approveRequest(requestsDeps(ctx.prisma), actor(ctx), ctx.input) });

export const rejectRequestSpec = spec({ name: "reject-request", permission: "requests:review", input: rejectSchema, handler: (ctx) => rejectRequest(requestsDeps(ctx.prisma), actor(ctx), ctx.input) });

export const cancelRequestSpec = spec({ name: "cancel-request", permission: "requests:cancel", input: idSchema, handler: (ctx) => cancelRequest(requestsDeps(ctx.prisma), actor(ctx), ctx.input) });

export const retryRequestSpec = spec({ name: "retry-request", permission: "requests:retry", input: idSchema, handler: (ctx) => retryRequest(requestsDeps(ctx.prisma), actor(ctx), ctx.input) });
