// Step 1 of an IRSA -> Pod Identity migration, as ONE approval-gated request:
//   (a) the role's trust gains the Pod Identity statement (an "iam-trust-update"
//       item from the failing trust precheck's fix; IAM team approval),
//   (b) the association is created (a "create" item with every precheck),
//   (c) the SA's running pods are restarted (a "restart-pods" item; its pods
//       planned now, deleted by the job runner after the association exists).
// The IRSA subject is NOT removed here: that is a later, separate request
// (file-irsa-cleanup.ts), offered once this one has applied.
import { DomainError } from "@/lib/core/errors";
import { createRequest, type Actor, type RequestsDeps } from "@/lib/requests";
import { RESTART_ITEM_KIND } from "@/lib/stale-pods/restart";
import type { KubeGateway } from "@/lib/kube";

export const MIGRATION_TAG = "[migration:pod-identity]";
export const CLEANUP_TAG = "[migration:irsa-cleanup]";

export interface MigrationTarget {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
}

export interface MigrationDeps extends RequestsDeps {
  kube: KubeGateway;
}

export async function fileMigration(deps: MigrationDeps, actor: Actor, t: MigrationTarget & { blocked?: string | null }, justification?: string): Promise<{ id: string; status: string; pods: number }> {
  // Fargate, Windows, Outposts...: Pod Identity cannot work there (the blocking placement precheck would refuse it anyway).
  if (t.blocked) throw new DomainError("conflict", `${t.namespace}/${t.serviceAccount} on ${t.cluster} cannot move to Pod Identity. ${t.blocked}`);
  const existing = await deps.prisma.requestItem.findFirst({
    where: { kind: "create", cluster: t.cluster, namespace: t.namespace, serviceAccount: t.serviceAccount, roleArn: t.roleArn, request: { justification: { startsWith: MIGRATION_TAG }, status: { in: ["pending", "approved", "applying"] } } },
    select: { requestId: true },
  });
  if (existing) throw new DomainError("conflict", `A migration of ${t.namespace}/${t.serviceAccount} on ${t.cluster} is already open: request ${existing.requestId}.`);
  let pods = 0;
  // The SA's pods now (read before the transaction): started without Pod Identity credentials, re-created after the association.
  const all = await deps.kube.listPods(t.cluster, { namespace: t.namespace });
  const running = all.filter((p) => p.serviceAccountName === t.serviceAccount && p.phase !== "Succeeded" && p.phase !== "Failed");
  const r = await createRequest(
    deps,
    actor,
    {
      kind: "create",
      cluster: t.cluster,
      namespace: t.namespace,
      serviceAccount: t.serviceAccount,
      roleArn: t.roleArn,
      disableSessionTags: false,
      tags: {},
      includeIamFixes: true,
      justification: `${MIGRATION_TAG} ${justification ?? `Move ${t.namespace}/${t.serviceAccount} on ${t.cluster} from IRSA to Pod Identity (${t.roleArn}): trust, association, pod restart.`}`,
    },
    (located) => {
      const where = located[0]!;
      return [
        {
          kind: RESTART_ITEM_KIND, cluster: t.cluster, accountId: where.accountId, region: where.region, namespace: t.namespace, serviceAccount: t.serviceAccount,
          // Its pods, each planned once (a pod already planned by another restart is left to it).
          async with(tx, itemId) {
            const taken = new Set((await tx.podRestart.findMany({ where: { podUid: { in: running.map((p) => p.uid) } }, select: { podUid: true } })).map((p) => p.podUid));
            const planned = running.filter((p) => !taken.has(p.uid));
            pods = planned.length;
            if (!planned.length) return;
            await tx.podRestart.createMany({
              data: planned.map((p) => ({
                requestItemId: itemId, accountId: where.accountId, region: where.region, cluster: t.cluster, namespace: p.namespace, podName: p.name, podUid: p.uid,
                serviceAccount: p.serviceAccountName, reason: "migration", detail: `started ${p.creationTimestamp} with IRSA credentials; re-created to receive Pod Identity credentials`, requestedBy: actor.login,
              })),
            });
          },
        },
      ];
    },
  );
  return { ...r, pods };
}
