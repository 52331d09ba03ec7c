// Walks the whole audit trail in id order, a page at a time, and recomputes the
// chain: each row's prevHash must be the previous row's hash and its hash must
// match its content. Names the first row where either fails.
//
// A hash chain cannot by itself reveal rows cut off the END of the trail: keep
// `head` (last id and hash) somewhere else (a ticket, a log sink) to detect that.
import type { PrismaClient } from "@/lib/db/generated/client";
import { AUDIT_CONTEXT_FIELDS, GENESIS_HASH, rowHash } from "./chain";

interface VerifyResult {
  valid: boolean;
  /** Rows checked (all rows when valid; up to and including the bad one otherwise). */
  rows: number;
  /** Rows written before the chain existed (empty hashes), accepted only at the start. */
  unchained: number;
  /** The last row checked: record it elsewhere to detect rows removed from the end. */
  head?: { id: string; hash: string };
  firstBadRow?: { id: string; reason: string };
}

type Reader = Pick<PrismaClient, "auditEvent">;

const SELECT = {
  id: true,
  at: true,
  actor: true,
  event: true,
  subject: true,
  details: true,
  prevHash: true,
  hash: true,
  ...Object.fromEntries(AUDIT_CONTEXT_FIELDS.map((f) => [f, true])),
} as const;

export async function verifyAuditChain(prisma: Reader, options: { pageSize?: number } = {}): Promise<VerifyResult> {
  const pageSize = options.pageSize ?? 1000;
  let expectedPrev = GENESIS_HASH;
  let chained = false;
  let rows = 0;
  let unchained = 0;
  let cursor: bigint | undefined;
  let head: VerifyResult["head"];
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
      const bad = (reason: string): VerifyResult => ({ valid: false, rows, unchained, head, firstBadRow: { id, reason } });
      if (row.hash === "" && row.prevHash === "" && !chained) {
        unchained++; // written before the hash chain was introduced
        continue;
      }
      chained = true;
      if (row.prevHash !== expectedPrev) {
        return bad(
          expectedPrev === GENESIS_HASH && rows === unchained + 1
            ? `the first chained row must start from the genesis hash, but its prevHash is ${row.prevHash || "empty"} (rows before it were removed?)`
            : `prevHash ${row.prevHash || "(empty)"} is not the hash of the previous row (${expectedPrev}): a row before it was deleted, inserted or moved`,
        );
      }
      const computed = rowHash(row);
      if (computed !== row.hash) {
        return bad(`content does not match its hash (stored ${row.hash || "(empty)"}, computed ${computed}): the row was edited`);
      }
      expectedPrev = row.hash;
      head = { id, hash: row.hash };
    }
    if (page.length < pageSize) break;
    cursor = page[page.length - 1]!.id;
  }
  return { valid: true, rows, unchained, ...(head ? { head } : {}) };
}
