// Writes an audit row with the transaction client of the change it records, so
// the change and its trail commit or roll back together. Each row is chained to
// the previous one (lib/audit/chain.ts): writers are serialised by a
// transaction-scoped advisory lock, held until the caller's transaction ends.
//
// The caller's transaction must be READ COMMITTED (Postgres' and Prisma's
// default): the last hash is read in a statement that starts after the lock is
// granted, so it sees the previous writer's committed row. Under REPEATABLE READ
// the snapshot could predate the lock and fork the chain, so that is refused.
import type { Prisma } from "@/lib/db/generated/client";
import { AUDIT_CONTEXT_FIELDS, CURRENT_HASH_SCHEME, GENESIS_HASH, normaliseDetails, rowHash, type AuditContext } from "./chain";
import type { AuditKey } from "./key";
import type { AuditEventType } from "./events";

type TxClient = Pick<Prisma.TransactionClient, "auditEvent" | "$queryRawUnsafe">;

type AuditEntry = AuditContext & {
  actor: string;
  event: AuditEventType;
  subject?: string | null;
  details?: Prisma.InputJsonValue;
};

/** Arbitrary constant: "audt" in ASCII. Distinct from the migration lock. */
const AUDIT_LOCK_KEY = 0x61756474;

/** `key`: the audit key to chain with (default: this process's, lib/audit/key.ts). */
export async function recordAudit(tx: TxClient, entry: AuditEntry, key?: AuditKey): Promise<{ id: bigint; hash: string }> {
  const [lock] = await tx.$queryRawUnsafe<{ isolation: string }[]>(
    `SELECT current_setting('transaction_isolation') AS isolation FROM (SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})) AS l`,
  );
  if (lock?.isolation !== "read committed") {
    throw new Error(`recordAudit needs a READ COMMITTED transaction (got ${lock?.isolation ?? "none"}): the hash chain would fork`);
  }
  // A new statement, so a new snapshot: it sees the row of whoever held the lock before us.
  const [next] = await tx.$queryRawUnsafe<{ id: string; at: string; prev: string | null }[]>(
    `SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'id'))::text AS id,
            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
            (SELECT "hash" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1) AS prev`,
  );
  if (!next) throw new Error("recordAudit: could not allocate an audit row id");
  const context: AuditContext = {};
  for (const f of AUDIT_CONTEXT_FIELDS) context[f] = entry[f] ?? null;
  const row = {
    id: BigInt(next.id),
    at: new Date(next.at),
    actor: entry.actor,
    event: entry.event,
    subject: entry.subject ?? null,
    details: normaliseDetails(entry.details) as Prisma.InputJsonValue,
    ...context,
    // Rows from before the chain existed have an empty hash: start from genesis after them.
    prevHash: next.prev || GENESIS_HASH,
    hashScheme: CURRENT_HASH_SCHEME,
  };
  const hash = rowHash(row, key);
  await tx.auditEvent.create({ data: { ...row, hash } });
  return { id: row.id, hash };
}

/** A row about a mapping (and a request, a state change): the context columns the trail filters on. */
export interface MappingAuditEntry {
  actor: string;
  event: AuditEventType;
  subject: string;
  requestId?: string;
  item?: { cluster: string; namespace: string; serviceAccount: string; roleArn: string | null } | null;
  fromState?: string;
  toState?: string;
  awsRequestId?: string;
  details: Prisma.InputJsonValue;
}

export async function recordMappingAudit(tx: TxClient, e: MappingAuditEntry): Promise<void> {
  const { item, ...rest } = e;
  await recordAudit(tx, { ...rest, cluster: item?.cluster, namespace: item?.namespace, serviceAccount: item?.serviceAccount, roleArn: item?.roleArn ?? undefined });
}
