// Ahead-of-expiry notice for time-bound mappings: run by the expiry sweep, a
// webhook notification is queued ROLEGATE_EXPIRY_NOTICE_HOURS (default 24)
// before an applied mapping's expiry. Once per mapping and expiry: the notify
// job carries the key "expiry-notice:<item>:<expiry ms>" (unique in the Job
// table, kept as the record) and an audit event is written in the same
// transaction; an extension moves the expiry, so the new one is noticed again.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { ItemKinds } from "@/lib/requests";
import { recordAudit } from "@/lib/audit/record";

const DEFAULT_EXPIRY_NOTICE_HOURS = 24;

export function expiryNoticeMs(env: Record<string, string | undefined> = process.env): number {
  const h = Number(env.ROLEGATE_EXPIRY_NOTICE_HOURS);
  return (Number.isFinite(h) && h > 0 ? h : DEFAULT_EXPIRY_NOTICE_HOURS) * 3600_000;
}

const noticeKey = (itemId: string, expiresAt: Date) => `expiry-notice:${itemId}:${expiresAt.getTime()}`;

/** `kinds`: the item-kind registry, whose time-bound kinds (ItemKind.timeBound) carry the mappings noticed. */
export async function sendExpiryNotices(deps: { prisma: PrismaClient; kinds: Pick<ItemKinds, "select">; now?: () => Date; noticeMs?: number }, limit = 200): Promise<string[]> {
  const at = deps.now?.() ?? new Date();
  const horizon = new Date(at.getTime() + (deps.noticeMs ?? expiryNoticeMs()));
  const due = await deps.prisma.requestItem.findMany({
    where: { mappingExpiresAt: { gt: at, lte: horizon }, revocationRequestId: null, status: "applied", kind: { in: deps.kinds.select((k) => !!k.timeBound) }, resultAssociationId: { not: null } },
    include: { request: { select: { id: true, requester: { select: { login: true } } } } },
    orderBy: { mappingExpiresAt: "asc" },
    take: limit,
  });
  if (!due.length) return [];
  const sent = new Set((await deps.prisma.job.findMany({ where: { key: { in: due.map((d) => noticeKey(d.id, d.mappingExpiresAt!)) } }, select: { key: true } })).map((j) => j.key));
  const noticed: string[] = [];
  for (const item of due) {
    const key = noticeKey(item.id, item.mappingExpiresAt!);
    if (sent.has(key)) continue;
    const hours = Math.max(1, Math.round((item.mappingExpiresAt!.getTime() - at.getTime()) / 3600_000));
    const text = `${item.request.requester.login}: the time-bound mapping ${item.namespace}/${item.serviceAccount} on ${item.cluster} -> ${item.roleArn} expires at ${item.mappingExpiresAt!.toISOString()} (in about ${hours} h) and will be revoked then. Request an extension on /expiry if it is still needed.`;
    const done = await deps.prisma.$transaction(async (tx) => {
      const r = await tx.job.createMany({ data: [{ queue: "notify", key, payload: { event: "expiry-notice", requestId: item.requestId, text }, runAt: new Date(), maxAttempts: 5 }], skipDuplicates: true });
      if (r.count !== 1) return false; // another sweeper noticed it
      await recordAudit(tx, {
        actor: "system",
        event: "mapping.expiry_notice",
        subject: `request:${item.requestId}`,
        requestId: item.requestId,
        cluster: item.cluster,
        namespace: item.namespace,
        serviceAccount: item.serviceAccount,
        roleArn: item.roleArn ?? undefined,
        details: { requestItemId: item.id, mappingExpiresAt: item.mappingExpiresAt!.toISOString(), notifies: item.request.requester.login },
      });
      return true;
    });
    if (done) noticed.push(item.id);
  }
  return noticed;
}
