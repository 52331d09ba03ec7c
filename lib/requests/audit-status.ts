// The audit status of requests, for the people who filed them: the last audit
// event, and whether each of the request's rows still verifies in the hash
// chain (its content matches its hash and its prevHash is the hash of the row
// right before it in the whole trail). The full-trail check is /audit's.
import { GENESIS_HASH, isHashScheme, rowHash } from "@/lib/audit/chain";
import type { PrismaClient } from "@/lib/db/generated/client";

export interface RequestAuditStatus {
  rows: number;
  lastEvent: { event: string; actor: string; at: Date } | null;
  valid: boolean;
  firstBadRow?: { id: string; reason: string };
}

type Db = Pick<PrismaClient, "auditEvent">;

export async function requestAuditStatuses(prisma: Db, requestIds: string[]): Promise<Map<string, RequestAuditStatus>> {
  const rows = requestIds.length
    ? await prisma.auditEvent.findMany({ where: { subject: { in: requestIds.map((id) => `request:${id}`) } }, orderBy: { id: "asc" } })
    : [];
  const prev = new Map<bigint, string>();
  await Promise.all(
    rows.map(async (r) => {
      const before = await prisma.auditEvent.findFirst({ where: { id: { lt: r.id } }, orderBy: { id: "desc" }, select: { hash: true } });
      // The first chained row (or the first after pre-chain rows with empty hashes) starts from genesis.
      prev.set(r.id, before?.hash || GENESIS_HASH);
    }),
  );
  const out = new Map<string, RequestAuditStatus>(requestIds.map((id) => [id, { rows: 0, lastEvent: null, valid: true }]));
  for (const r of rows) {
    const status = out.get(r.subject!.slice("request:".length))!;
    status.rows++;
    status.lastEvent = { event: r.event, actor: r.actor, at: r.at };
    if (!status.valid) continue;
    const expectedPrev = prev.get(r.id);
    const bad = (reason: string) => Object.assign(status, { valid: false, firstBadRow: { id: r.id.toString(), reason } });
    // Rows are HMAC-keyed with the audit key (plain SHA-256 for rows from before it); an unknown scheme is an edit.
    if (!isHashScheme(r.hashScheme) || rowHash(r) !== r.hash) bad("its content does not match its hash: the row was edited");
    else if (expectedPrev !== r.prevHash) bad("its prevHash is not the hash of the row before it: a row was deleted, inserted or moved");
  }
  return out;
}

export async function requestAuditStatus(prisma: Db, requestId: string): Promise<RequestAuditStatus> {
  return (await requestAuditStatuses(prisma, [requestId])).get(requestId)!;
}
