// Walks the whole audit trail in id order, a page at a time, and recomputes the
// chain: each row's prevHash must be the previous row's hash and its hash must
// match its content under its scheme (HMAC with the audit key for every row
// written since the key exists; plain SHA-256 only for older rows, and only
// before the first keyed row). Names the first row where either fails.
//
// A chain cannot by itself reveal rows cut off its END, nor a chain rebuilt from
// scratch in the legacy scheme: signed checkpoints (checkpoint.ts), kept outside
// the database, can. Given checkpoints, each must carry a valid signature and its
// head row must still be there, with the same hash and the same count of rows.
import type { PrismaClient } from "@/lib/db/generated/client";
import { AUDIT_CONTEXT_FIELDS, GENESIS_HASH, isHashScheme, rowHash } from "./chain";
import { checkpointSignatureProblem, signCheckpoint, type AuditCheckpoint, type ParsedCheckpoint } from "./checkpoint";
import { AuditKeyError, getAuditKey, type AuditKey } from "./key";

export interface VerifyResult {
  valid: boolean;
  /** Rows checked (all rows when valid; up to and including the bad one otherwise). */
  rows: number;
  /** Rows written before the chain existed (empty hashes), accepted only at the start. */
  unchained: number;
  /** Rows hashed with plain SHA-256 before the audit key existed (accepted only before the first keyed row); absent when none. */
  legacy?: number;
  /** The last row checked: compare with a checkpoint to detect rows removed from the end. */
  head?: { id: string; hash: string };
  firstBadRow?: { id: string; reason: string };
  /** With checkpoints: how many were checked, and the newest one. */
  checkpoints?: { checked: number; latest?: { line: number; lastId: string | null; count: number; at: string } };
  /** With checkpoints: the first one that is forged or that the trail no longer matches. */
  badCheckpoint?: { line: number; lastId: string | null; at: string; reason: string };
}

type Reader = Pick<PrismaClient, "auditEvent">;

export interface VerifyOptions {
  pageSize?: number;
  /** The audit key; default this process's. Null: none available (the CLI without one). */
  key?: AuditKey | null;
  /** Checkpoints to hold the trail against (parsed from a checkpoint file). */
  checkpoints?: ParsedCheckpoint[];
}

const SELECT = {
  id: true,
  at: true,
  actor: true,
  event: true,
  subject: true,
  details: true,
  prevHash: true,
  hash: true,
  hashScheme: true,
  ...Object.fromEntries(AUDIT_CONTEXT_FIELDS.map((f) => [f, true])),
} as const;

function needKey(what: string): never {
  throw new AuditKeyError(`${what} needs the audit key: set ROLEGATE_AUDIT_KEY (or ROLEGATE_DATA_DIR to the data dir holding audit.key)`);
}

export async function verifyAuditChain(prisma: Reader, options: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = options.pageSize ?? 1000;
  const key = options.key === undefined ? getAuditKey() : options.key;
  const checkpoints = options.checkpoints;
  let expectedPrev = GENESIS_HASH;
  let chained = false;
  let keyed = false;
  let rows = 0;
  let unchained = 0;
  let legacy = 0;
  let cursor: bigint | undefined;
  let head: VerifyResult["head"];

  let checkpointSummary: VerifyResult["checkpoints"];
  const pending = new Map<string, ParsedCheckpoint[]>();
  if (checkpoints) {
    if (!key) needKey("checking checkpoints");
    const latest = checkpoints.reduce((a, b) => (Date.parse(b.checkpoint.at) >= Date.parse(a.checkpoint.at) ? b : a));
    checkpointSummary = {
      checked: checkpoints.length,
      latest: { line: latest.line, lastId: latest.checkpoint.lastId, count: latest.checkpoint.count, at: latest.checkpoint.at },
    };
    for (const p of checkpoints) {
      const problem = checkpointSignatureProblem(p.checkpoint, key);
      if (problem) {
        const { lastId, at } = p.checkpoint;
        return { valid: false, rows: 0, unchained: 0, checkpoints: checkpointSummary, badCheckpoint: { line: p.line, lastId, at, reason: problem } };
      }
      if (p.checkpoint.lastId !== null) pending.set(p.checkpoint.lastId, [...(pending.get(p.checkpoint.lastId) ?? []), p]);
    }
  }
  const summary = () => ({ rows, unchained, ...(legacy ? { legacy } : {}), ...(head ? { head } : {}), ...(checkpointSummary ? { checkpoints: checkpointSummary } : {}) });
  const badCheckpoint = (p: ParsedCheckpoint, reason: string): VerifyResult => ({
    valid: false,
    ...summary(),
    badCheckpoint: { line: p.line, lastId: p.checkpoint.lastId, at: p.checkpoint.at, reason },
  });

  for (;;) {
    const page = await prisma.auditEvent.findMany({
      select: SELECT,
      where: cursor === undefined ? {} : { id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    for (const row of page) {
      rows++;
      const id = row.id.toString();
      const bad = (reason: string): VerifyResult => ({ valid: false, ...summary(), firstBadRow: { id, reason } });
      if (row.hash === "" && row.prevHash === "" && !chained) {
        unchained++; // written before the hash chain was introduced
      } else {
        chained = true;
        if (row.prevHash !== expectedPrev) {
          return bad(
            expectedPrev === GENESIS_HASH && rows === unchained + 1
              ? `the first chained row must start from the genesis hash, but its prevHash is ${row.prevHash || "empty"} (rows before it were removed?)`
              : `prevHash ${row.prevHash || "(empty)"} is not the hash of the previous row (${expectedPrev}): a row before it was deleted, inserted or moved`,
          );
        }
        if (!isHashScheme(row.hashScheme)) return bad(`unknown hash scheme "${row.hashScheme}": the row was edited`);
        if (row.hashScheme === "sha256") {
          if (keyed) {
            return bad("a plain SHA-256 row after rows keyed with the audit key: the chain was re-hashed by someone without the key");
          }
          legacy++;
        } else {
          keyed = true;
          if (!key) needKey(`row ${id} is keyed: verifying it`);
        }
        const computed = rowHash(row, key ?? undefined);
        if (computed !== row.hash) {
          return bad(
            `content does not match its hash (stored ${row.hash || "(empty)"}, computed ${computed}): the row was edited` +
              (row.hashScheme === "sha256" ? "" : ", or re-hashed without the audit key"),
          );
        }
        expectedPrev = row.hash;
      }
      head = { id, hash: row.hash };
      for (const p of pending.get(id) ?? []) {
        if (p.checkpoint.hash !== row.hash) {
          return badCheckpoint(
            p,
            `row ${id}, the head at the checkpoint of ${p.checkpoint.at}, now has hash ${row.hash || "(empty)"}, not ${p.checkpoint.hash}: the chain was rewritten (re-hashed) since`,
          );
        }
        if (p.checkpoint.count !== rows) {
          return badCheckpoint(p, `${rows} rows up to row ${id}, but the checkpoint of ${p.checkpoint.at} counted ${p.checkpoint.count}: rows before it were removed or inserted`);
        }
      }
      pending.delete(id);
    }
    if (page.length < pageSize) break;
    cursor = page[page.length - 1]!.id;
  }
  if (pending.size) {
    const missing = [...pending.values()].flat().sort((a, b) => a.line - b.line)[0]!;
    return badCheckpoint(
      missing,
      `row ${missing.checkpoint.lastId}, the head at the checkpoint of ${missing.checkpoint.at} (${missing.checkpoint.count} rows), is missing: ` +
        `the trail now ends at ${head ? `row ${head.id}` : "no row"} with ${rows} rows, so rows were cut from the end`,
    );
  }
  return { valid: true, ...summary() };
}

/**
 * Start-up check: does the newest keyed row verify with this key? False means a
 * different ROLEGATE_AUDIT_KEY (or audit.key) than the one the trail was written
 * with — new rows would then break the chain for whoever holds either key — or a
 * tampered head. Null when there is no keyed row yet.
 */
export async function newestKeyedRowVerifies(prisma: Reader, key: AuditKey): Promise<boolean | null> {
  const row = await prisma.auditEvent.findFirst({ select: SELECT, where: { hashScheme: "hmac-sha256" }, orderBy: { id: "desc" } });
  return row ? rowHash(row, key) === row.hash : null;
}

/**
 * Verifies the chain (against `checkpoints` when given) and, only if it verifies,
 * signs a checkpoint of its head taken at `at`: a broken chain is never blessed.
 */
export async function signVerifiedHead(prisma: Reader, key: AuditKey, at: Date, checkpoints?: ParsedCheckpoint[]): Promise<{ result: VerifyResult; checkpoint: AuditCheckpoint | null }> {
  const result = await verifyAuditChain(prisma, { key, checkpoints });
  if (!result.valid) return { result, checkpoint: null };
  return { result, checkpoint: signCheckpoint({ lastId: result.head?.id ?? null, hash: result.head?.hash ?? GENESIS_HASH, count: result.rows, at: at.toISOString() }, key) };
}
