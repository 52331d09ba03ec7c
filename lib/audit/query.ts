// Reading the audit trail: validated filters, server-side sorting and paging,
// and the row shape every reader (page, API, exports) shows.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";

const kubeName = z
  .string()
  .trim()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Kubernetes name (lowercase letters, digits, - and .)");

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A date (YYYY-MM-DD) or date-time; without a zone it is UTC. `endOfDay` makes a bare date inclusive. */
function time(endOfDay: boolean) {
  return z
    .string()
    .trim()
    .refine((s) => DATE.test(s) || DATETIME.test(s), "must be a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][Z])")
    .transform((s, ctx) => {
      const iso = DATE.test(s) ? `${s}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z` : /Z|[+-]\d{2}:\d{2}$/.test(s) ? s : `${s}Z`;
      const d = new Date(iso);
      const [y, m, day] = s.slice(0, 10).split("-").map(Number) as [number, number, number];
      const calendar = new Date(Date.UTC(y, m - 1, day));
      if (Number.isNaN(d.getTime()) || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== day) {
        ctx.addIssue({ code: "custom", message: "is not a real date" });
        return z.NEVER;
      }
      return d;
    });
}

const AUDIT_SORTS = ["at", "actor", "event"] as const;

/** Empty strings (an untouched form field) mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const auditFilterSchema = z
  .object({
    actor: optional(z.string().trim().max(200)),
    event: optional(z.string().trim().max(100).regex(/^[a-z0-9_.]+$/, "must be an event name such as auth.signed_in")),
    cluster: optional(z.string().trim().max(100).regex(/^[0-9A-Za-z][A-Za-z0-9\-_]*$/, "must be a cluster name")),
    namespace: optional(kubeName),
    serviceAccount: optional(kubeName),
    roleArn: optional(z.string().trim().max(2048).regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN")),
    requestId: optional(z.string().trim().max(100)),
    from: optional(time(false)),
    to: optional(time(true)),
  })
  // zod runs this even when a field failed: compare only two real dates.
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.from <= q.to, { path: ["to"], message: "must not be before 'from'" });

// One object (not an intersection), so the OpenAPI document lists every parameter of GET /api/v1/audit.
export const auditQuerySchema = auditFilterSchema
  .safeExtend({
    sort: optional(z.enum(AUDIT_SORTS)).transform((v) => v ?? "at"),
    dir: optional(z.enum(["asc", "desc"])).transform((v) => v ?? "desc"),
    page: optional(z.coerce.number().int().min(1).max(100_000)).transform((v) => v ?? 1),
    pageSize: optional(z.coerce.number().int().min(1).max(500)).transform((v) => v ?? 50),
  })
  // Offsets are capped: deep paging is a scan (narrow the filter or use the export).
  .refine((q) => (q.page - 1) * q.pageSize <= MAX_AUDIT_OFFSET, { path: ["page"], message: "(page - 1) x pageSize must be at most 100,000: narrow the filter or use the export" });
export const MAX_AUDIT_OFFSET = 100_000;
export type AuditFilter = z.infer<typeof auditFilterSchema>;
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/**
 * For the page: URL search params -> a query, dropping (and reporting) invalid
 * fields instead of failing, so a bad bookmark still shows the trail.
 */
export function parseAuditQuery(params: Record<string, string | string[] | undefined>): { query: AuditQuery; errors: Record<string, string> } {
  const flat: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
  const errors: Record<string, string> = {};
  for (let attempt = 0; attempt < 20; attempt++) {
    const parsed = auditQuerySchema.safeParse(flat);
    if (parsed.success) return { query: parsed.data, errors };
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      errors[key] ??= issue.message;
      delete flat[key];
    }
  }
  return { query: auditQuerySchema.parse({}), errors };
}

export function scoped(where: Prisma.AuditEventWhereInput, scope?: Prisma.AuditEventWhereInput): Prisma.AuditEventWhereInput {
  return scope ? { AND: [where, scope] } : where;
}

export function auditWhere(f: AuditFilter): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = {};
  if (f.actor) where.actor = f.actor;
  if (f.event) where.event = f.event;
  if (f.cluster) where.cluster = f.cluster;
  if (f.namespace) where.namespace = f.namespace;
  if (f.serviceAccount) where.serviceAccount = f.serviceAccount;
  if (f.roleArn) where.roleArn = f.roleArn;
  if (f.requestId) where.requestId = f.requestId;
  if (f.from || f.to) where.at = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) };
  return where;
}

/** What readers see of a row: JSON-safe (id as a string, time as ISO). */
export interface AuditRowView {
  id: string;
  at: string;
  actor: string;
  event: string;
  subject: string | null;
  requestId: string | null;
  cluster: string | null;
  namespace: string | null;
  serviceAccount: string | null;
  roleArn: string | null;
  fromState: string | null;
  toState: string | null;
  awsRequestId: string | null;
  details: unknown;
  prevHash: string;
  hash: string;
  /** "hmac-sha256" (keyed with the audit key) or "sha256" (rows from before the key): how to recompute hash. */
  hashScheme: string;
}

type Row = Awaited<ReturnType<PrismaClient["auditEvent"]["findFirstOrThrow"]>>;

export function toView(r: Row): AuditRowView {
  return {
    id: r.id.toString(),
    at: r.at.toISOString(),
    actor: r.actor,
    event: r.event,
    subject: r.subject,
    requestId: r.requestId,
    cluster: r.cluster,
    namespace: r.namespace,
    serviceAccount: r.serviceAccount,
    roleArn: r.roleArn,
    fromState: r.fromState,
    toState: r.toState,
    awsRequestId: r.awsRequestId,
    details: r.details,
    prevHash: r.prevHash,
    hash: r.hash,
    hashScheme: r.hashScheme,
  };
}

/** `scope`: what this reader may see at all (lib/auth/audit-scope), ANDed with the filters. */
export async function listAudit(prisma: Pick<PrismaClient, "auditEvent">, q: AuditQuery, scope?: Prisma.AuditEventWhereInput) {
  const where = scoped(auditWhere(q), scope);
  // Ties (same ms, same actor...) fall back to chain order, in the same direction.
  const orderBy: Prisma.AuditEventOrderByWithRelationInput[] = q.sort === "at" ? [{ at: q.dir }, { id: q.dir }] : [{ [q.sort]: q.dir }, { id: q.dir }];
  const [total, rows] = await Promise.all([
    prisma.auditEvent.count({ where }),
    prisma.auditEvent.findMany({ where, orderBy, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
  ]);
  return { total, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(total / q.pageSize)), rows: rows.map(toView) };
}

/** Filters as a query string (for export links and paging), without empty values. */
export function auditSearch(q: Partial<AuditQuery>, change: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  const merged: Record<string, unknown> = { ...q, ...change };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, v instanceof Date ? v.toISOString() : String(v));
  }
  return params.toString();
}
