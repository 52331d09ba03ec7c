// The hash chain of the audit trail: what a row's hash covers, computed the same
// way by the writer (record.ts) and the verifier (verify.ts). No database.
//
// content = canonical JSON of { id, at, actor, event, subject, details,
//   requestId, cluster, namespace, serviceAccount, roleArn, fromState, toState,
//   awsRequestId, prevHash }. The id is included, so moving content to another
//   id is detected; prevHash links each row to the one before it, so a deleted,
//   inserted or reordered row breaks the link at the next row.
//
// hash = hex of, by the row's hashScheme:
//   "hmac-sha256": HMAC-SHA256(audit key, content) — every row written now. A
//     chain rewritten by someone without the key (ROLEGATE_AUDIT_KEY) does not
//     verify, even with every hash recomputed.
//   "sha256": SHA-256(content) — rows written before the key existed; they still
//     verify as before, but only at the start of the trail (verify.ts).
import { createHash, createHmac } from "node:crypto";
import { getAuditKey, type AuditKey } from "./key";

export const GENESIS_HASH = "0".repeat(64);

/** Typed context columns: filterable, and covered by the hash. */
export const AUDIT_CONTEXT_FIELDS = [
  "requestId",
  "cluster",
  "namespace",
  "serviceAccount",
  "roleArn",
  "fromState",
  "toState",
  "awsRequestId",
] as const;
type AuditContextField = (typeof AUDIT_CONTEXT_FIELDS)[number];
export type AuditContext = Partial<Record<AuditContextField, string | null>>;

/** The stored content of a row, as Prisma reads and writes it. */
interface ChainedContent extends AuditContext {
  id: bigint;
  at: Date;
  actor: string;
  event: string;
  subject: string | null;
  details: unknown;
  prevHash: string;
  /** Absent means the current scheme (a row being written). */
  hashScheme?: string;
}

export const HASH_SCHEMES = ["sha256", "hmac-sha256"] as const;
export type HashScheme = (typeof HASH_SCHEMES)[number];
/** What recordAudit writes. */
export const CURRENT_HASH_SCHEME: HashScheme = "hmac-sha256";

export function isHashScheme(value: string): value is HashScheme {
  return (HASH_SCHEMES as readonly string[]).includes(value);
}

/**
 * JSON with object keys sorted (by UTF-16 code units) at every level, no
 * whitespace, and undefined members dropped — the same text for the value
 * written and for the value read back from JSONB.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    if (value instanceof Date) return JSON.stringify(value.toISOString());
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  return JSON.stringify(value);
}

/** The details as JSONB will give them back (undefined dropped, Dates as strings, ...). */
export function normaliseDetails(details: unknown): unknown {
  return details === undefined ? {} : JSON.parse(JSON.stringify(details));
}

/** The canonical text a row's hash covers. */
export function rowContent(row: ChainedContent): string {
  const content: Record<string, unknown> = {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    event: row.event,
    subject: row.subject ?? null,
    details: row.details ?? {},
    prevHash: row.prevHash,
  };
  for (const f of AUDIT_CONTEXT_FIELDS) content[f] = row[f] ?? null;
  return canonicalJson(content);
}

/**
 * The hash of a row under its scheme; keyed rows use `key` (default: this
 * process's audit key). An unknown scheme throws: verify reports the row.
 */
export function rowHash(row: ChainedContent, key?: AuditKey): string {
  const scheme = row.hashScheme ?? CURRENT_HASH_SCHEME;
  const content = rowContent(row);
  if (scheme === "sha256") return createHash("sha256").update(content, "utf8").digest("hex");
  if (scheme === "hmac-sha256") return createHmac("sha256", (key ?? getAuditKey()).chain).update(content, "utf8").digest("hex");
  throw new Error(`unknown hash scheme "${scheme}"`);
}
