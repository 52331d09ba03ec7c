// Time-bound mappings: once an applied item's mappingExpiresAt has passed, the
// system user files a delete request for its association. Policy decision
// ("system revocation"): the request is approved at once, without a human
// review, because the approval of the original request already covered the
// expiry; the auto-approval is an audit event of its own naming that reason and
// the original request. It is then applied by the apply job like any other.
// Exactly once: the original item's revocationRequestId is set by a CAS on null
// in the same transaction that creates the delete request.
// Stale-pod restart "per the namespace's setting": in a namespace where an admin
// enabled automatic restarts, the request also carries a restart-pods item (after
// the delete) for the SA's pods running now, so they are restarted right after the
// revocation without a further approval (the request is auto-approved). Elsewhere
// no restart item is added: automatic restarts are off there, so the pods show up
// on /stale-pods (deleted-association) to be restarted behind approval.
import { randomUUID } from "node:crypto";
import { enqueueJob } from "@/lib/jobs/queue";
import { auditRequest } from "./audit";
import { now, type RequestsDeps } from "./deps";
import { queueNotification } from "./notify";
import { addRevocationRestartItems, planRevocationRestarts } from "./revoke-restart";
import { ensureSystemUser } from "./system-user";
import { clientRequestToken } from "./tokens";
import { casTransition } from "./transition";

export const SYSTEM_REVOCATION_POLICY = "system revocation";

export async function revokeExpiredMappings(deps: Pick<RequestsDeps, "prisma" | "now">, limit = 100): Promise<string[]> {
  const at = now(deps);
  const due = await deps.prisma.requestItem.findMany({
    where: {
      mappingExpiresAt: { lte: at },
      revocationRequestId: null,
      status: "applied",
      kind: { in: ["create", "update"] },
      resultAssociationId: { not: null },
    },
    orderBy: { mappingExpiresAt: "asc" },
    take: limit,
  });
  if (!due.length) return [];
  const system = await ensureSystemUser(deps.prisma);
  const filed: string[] = [];
  for (const original of due) {
    const id = randomUUID();
    const itemId = randomUUID();
    const auto = await deps.prisma.namespaceRestartSetting.findFirst({
      where: { accountId: original.accountId, region: original.region, cluster: original.cluster, namespace: original.namespace, autoRestart: true },
    });
    const restarts = auto ? await planRevocationRestarts([{ cluster: original.cluster, namespace: original.namespace, serviceAccount: original.serviceAccount }]) : null;
    const created = await deps.prisma.$transaction(async (tx) => {
      const claim = await tx.requestItem.updateMany({ where: { id: original.id, revocationRequestId: null }, data: { revocationRequestId: id } });
      if (claim.count !== 1) return false; // another sweeper got there first
      const item = { cluster: original.cluster, namespace: original.namespace, serviceAccount: original.serviceAccount, roleArn: original.roleArn };
      const reason = `Time-bound mapping expired at ${original.mappingExpiresAt!.toISOString()} (granted by request ${original.requestId}); the original approval included this expiry.`;
      const request = await tx.request.create({
        data: {
          id,
          kind: "delete",
          requesterId: system.id,
          justification: reason,
          requiredApprovals: 0,
          approverRole: "approver",
          expiresAt: at,
          createdAt: at,
          prechecks: [],
          items: {
            create: {
              id: itemId,
              kind: "delete",
              cluster: original.cluster,
              accountId: original.accountId,
              region: original.region,
              namespace: original.namespace,
              serviceAccount: original.serviceAccount,
              roleArn: original.roleArn,
              associationId: original.resultAssociationId,
              // The role this mapping granted: apply refuses when the association maps another one now.
              subjectRoleArn: original.roleArn,
              clientRequestToken: clientRequestToken(itemId),
            },
          },
        },
      });
      const restartPods = restarts?.length
        ? await addRevocationRestartItems(tx, id, 1, restarts, () => original, system.login, "its time-bound association expired and is revoked by this request (namespace restarts automatically)")
        : null;
      await auditRequest(tx, { actor: system.login, event: "request.created", requestId: id, item, toState: "pending", details: { kind: "delete", items: 1, ...(restartPods !== null ? { restartPods } : {}), revokes: original.requestId, revokesItem: original.id, mappingExpiresAt: original.mappingExpiresAt!.toISOString() } });
      const version = await casTransition(tx, request, "approved", { decidedAt: at });
      await auditRequest(tx, { actor: system.login, event: "request.auto_approved", requestId: id, item, fromState: "pending", toState: "approved", details: { policy: SYSTEM_REVOCATION_POLICY, reason, revokes: original.requestId } });
      await enqueueJob(tx, { queue: "apply-request", key: `apply:${id}:${version}`, payload: { requestId: id }, maxAttempts: 10 });
      await queueNotification(tx, "created", id, `${system.login} revokes ${item.namespace}/${item.serviceAccount} on ${item.cluster}: its time-bound mapping expired`);
      return true;
    });
    if (created) filed.push(id);
  }
  return filed;
}
