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
import type { RequestsDeps } from "./deps";
import { now } from "./deps";
import { fileRequest } from "./file-request";
import { addRevocationRestartItems, planRevocationRestarts } from "./revoke-restart";
import { ensureSystemUser } from "./system-user";

export const SYSTEM_REVOCATION_POLICY = "system revocation";

export async function revokeExpiredMappings(deps: Pick<RequestsDeps, "prisma" | "kinds" | "now">, limit = 100): Promise<string[]> {
  const at = now(deps);
  const due = await deps.prisma.requestItem.findMany({
    where: {
      mappingExpiresAt: { lte: at },
      revocationRequestId: null,
      status: "applied",
      kind: { in: deps.kinds.select((k) => !!k.timeBound) },
      resultAssociationId: { not: null },
    },
    orderBy: { mappingExpiresAt: "asc" },
    take: limit,
  });
  if (!due.length) return [];
  const system = await ensureSystemUser(deps.prisma);
  const filed: string[] = [];
  for (const original of due) {
    const auto = await deps.prisma.namespaceRestartSetting.findFirst({
      where: { accountId: original.accountId, region: original.region, cluster: original.cluster, namespace: original.namespace, autoRestart: true },
    });
    const restarts = auto ? await planRevocationRestarts(deps.kinds, [{ cluster: original.cluster, namespace: original.namespace, serviceAccount: original.serviceAccount }]) : null;
    const reason = `Time-bound mapping expired at ${original.mappingExpiresAt!.toISOString()} (granted by request ${original.requestId}); the original approval included this expiry.`;
    const request = await fileRequest(deps, {
      kind: "delete",
      requester: system,
      justification: reason,
      system: { policy: SYSTEM_REVOCATION_POLICY, reason, details: { revokes: original.requestId } },
      // Exactly once: the original item names its revocation, by a CAS on null.
      claim: async (tx, id) => (await tx.requestItem.updateMany({ where: { id: original.id, revocationRequestId: null }, data: { revocationRequestId: id } })).count === 1,
      items: [
        {
          kind: "delete", cluster: original.cluster, accountId: original.accountId, region: original.region, namespace: original.namespace,
          serviceAccount: original.serviceAccount, roleArn: original.roleArn, associationId: original.resultAssociationId,
          // The role this mapping granted: apply refuses when the association maps another one now.
          subjectRoleArn: original.roleArn,
        },
      ],
      async more(tx, id, position) {
        if (!restarts?.length) return;
        const restartPods = await addRevocationRestartItems(tx, id, position, restarts, () => original, system.login, "its time-bound association expired and is revoked by this request (namespace restarts automatically)");
        return { restartPods };
      },
      audit: {
        details: ({ more }) => ({ kind: "delete", items: 1, ...more, revokes: original.requestId, revokesItem: original.id, mappingExpiresAt: original.mappingExpiresAt!.toISOString() }),
      },
      notification: `${system.login} revokes ${original.namespace}/${original.serviceAccount} on ${original.cluster}: its time-bound mapping expired`,
    });
    if (request) filed.push(request.id);
  }
  return filed;
}
