import "server-only";
// One operation, described once: who may call it, what input it takes (zod), what
// it does, what it writes to the audit trail, and (optionally) where it lives in
// the REST API. The server action (lib/actions), the /api/v1 route handler
// (lib/core/http.ts) and the OpenAPI entry (lib/api/openapi.ts) are all derived
// from this object, so the three faces cannot disagree.
import type { z } from "zod";
import type { AuditEventType } from "@/lib/audit/events";
import type { Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/sessions";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";

/** A permission from the one map, or "signed-in" (any role), or "public" (anonymous too: sign-in, sign-out). */
export type Access = Permission | "signed-in" | "public";

/**
 * Who may call an operation: an account (Access), or "scim": only the IdP's SCIM client, which
 * presents its own secret (ROLEGATE_SCIM_TOKEN) and is no account, has no role and calls nothing else.
 */
export type Caller = Access | "scim";

/** The IdP's SCIM client, as the SCIM authenticate step (lib/scim/authenticate.ts) returns it; its audit actor is "scim". */
export interface ScimPrincipal {
  kind: "scim";
  login: "scim";
}

/** Who an authenticate step found: an account (session or token) or the SCIM client. */
export type Principal = SessionUser | ScimPrincipal;

export interface OperationContext<I> {
  /** Null for "public" operations called anonymously, and for "scim" ones (the caller is the IdP, not an account). */
  user: SessionUser | null;
  input: I;
  prisma: PrismaClient;
  /** The pipeline's transaction, for operations whose audit row the pipeline writes (audit.event): change and row commit together. */
  tx: Prisma.TransactionClient | null;
  requestId: string;
}

/** One more audit row, written after the operation's own row in the same transaction. */
export interface FollowUpAudit {
  event: AuditEventType;
  subject: string | null;
  details: Prisma.InputJsonValue;
}

/** What the audit row says: the pipeline writes it in the handler's transaction after a successful handler. */
export interface PipelineAudit<I, T> {
  event: AuditEventType;
  subject?: (input: I, result: T) => string | null;
  details?: (input: I, result: T) => Prisma.InputJsonValue;
  /** Consequences the result reports that are events of their own (a SCIM deactivation ending sessions), in this order. */
  followUps?: (input: I, result: T) => readonly FollowUpAudit[];
}

/**
 * How an operation is audited:
 * - PipelineAudit: the handler runs inside the pipeline's transaction (ctx.tx) and the pipeline writes the row there;
 * - { recordedBy: "handler" }: the domain service writes richer rows (request context fields, chain of
 *   events) inside its own transaction; `events` names them so readers (and tests) know what to expect;
 * - { outsideDatabase: why }: the operation writes no database row, only outside it (e.g. signing
 *   an audit checkpoint into its file and webhook, which is itself the evidence);
 * - { bookkeeping: why }: the operation only moves a clock no one audits (a session's idle expiry);
 * - "read-only": the operation writes nothing (GETs, dry runs). No GET may be anything else.
 */
export type AuditSpec<I, T> =
  | PipelineAudit<I, T>
  | { recordedBy: "handler"; events: readonly AuditEventType[] }
  | { outsideDatabase: string }
  | { bookkeeping: string }
  | "read-only";

export type HttpMethod = "GET" | "POST" | "DELETE";

export interface HttpSpec {
  method: HttpMethod;
  /** OpenAPI path, e.g. "/api/v1/requests/{id}"; {params} come from the route's dynamic segments. */
  path: `/api/v1/${string}`;
  /** Success status: 200, 201 (created) or 202 (started). */
  status: 200 | 201 | 202;
  summary: string;
  /** Error statuses this operation documents besides 401 (and 400/403 where they apply). */
  errors?: readonly (400 | 403 | 404 | 409 | 429 | 503)[];
  /** The success body, for the OpenAPI document (defaults to "an object"). */
  output?: z.ZodType;
  /** A success body that is not JSON-only (e.g. CSV export): extra content types for the document. */
  produces?: readonly string[];
}

export interface Operation<S extends z.ZodType = z.ZodType, T = unknown, A extends Caller = Access> {
  name: string;
  access: A;
  input: S;
  handler: (ctx: OperationContext<z.infer<S>>) => Promise<T>;
  audit: AuditSpec<z.infer<S>, T>;
  http?: HttpSpec;
}

/** Identity, for type inference: `defineOperation({...})`. GETs must be read-only. */
export function defineOperation<S extends z.ZodType, T, A extends Caller = Access>(op: Operation<S, T, A>): Operation<S, T, A> {
  if (op.http?.method === "GET" && op.audit !== "read-only") throw new Error(`${op.name}: a GET may not write (audit must be "read-only")`);
  return op;
}

/** The signed-in caller, for handlers of non-public operations (the pipeline has checked it). */
export function callerOf(ctx: OperationContext<unknown>): SessionUser {
  if (!ctx.user) throw new Error("callerOf: operation is public but needs a caller");
  return ctx.user;
}

/** The actor shape the request services take. */
export function actorOf(ctx: OperationContext<unknown>): { id: string; login: string; role: SessionUser["role"] } {
  const u = callerOf(ctx);
  return { id: u.id, login: u.login, role: u.role };
}

/** Any operation, for registries and adapters that do not look at the input's type. */
export type AnyOperation = Operation<any, any>;
