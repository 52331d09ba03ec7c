// Stale-credential pods of one cluster: running pods listed live through the
// Kubernetes gateway, against the association cache of the last refresh.
// - deleted-association: the pod carries Pod Identity env but its SA has no association now
//   (the agent keeps serving cached credentials for hours);
// - changed-association: the SA's association was created again or modified after the pod started;
// - before-association: the pod started before its SA's association existed and has no
//   Pod Identity env (no credentials until restarted).
import type { PrismaClient } from "@/lib/db/generated/client";
import type { KubeGateway, KubePod } from "@/lib/kube";

type StaleReason = "deleted-association" | "changed-association" | "before-association";

export interface StalePod {
  accountId: string;
  region: string;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  serviceAccount: string;
  startedAt: string;
  ownerKind?: string;
  ownerName?: string;
  reason: StaleReason;
  detail: string;
}

export interface ClusterRef {
  accountId: string;
  region: string;
  cluster: string;
  clusterArn?: string;
}

const POD_IDENTITY_ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

function staleReason(
  pod: KubePod,
  association: { associationId: string; roleArn: string; awsCreatedAt: Date; awsModifiedAt: Date } | undefined,
  deletedAt?: Date,
): { reason: StaleReason; detail: string } | null {
  if (pod.phase === "Succeeded" || pod.phase === "Failed") return null;
  const started = new Date(pod.creationTimestamp);
  const injected = POD_IDENTITY_ENV in pod.credentialEnv;
  if (!association) {
    if (!injected) return null;
    return { reason: "deleted-association", detail: `has Pod Identity credentials but ${pod.serviceAccountName} has no association now${deletedAt ? ` (deleted by RoleGate at ${deletedAt.toISOString()})` : ""}` };
  }
  if (!injected) {
    if (started < association.awsCreatedAt) {
      return { reason: "before-association", detail: `started ${started.toISOString()}, before association ${association.associationId} existed (${association.awsCreatedAt.toISOString()}): no credentials injected` };
    }
    return null; // created after the association without env: a restart would not help (Fargate, Windows, agent)
  }
  const changedAt = association.awsModifiedAt > association.awsCreatedAt ? association.awsModifiedAt : association.awsCreatedAt;
  if (started < changedAt) {
    return { reason: "changed-association", detail: `started ${started.toISOString()}, before association ${association.associationId} changed (${changedAt.toISOString()}, now ${association.roleArn}): may use cached credentials of the previous role` };
  }
  return null;
}

export async function findStalePods(
  deps: { prisma: Pick<PrismaClient, "cluster" | "podIdentityAssociation" | "requestItem">; kube: KubeGateway },
  ref: ClusterRef,
  opts: { namespace?: string } = {},
): Promise<StalePod[]> {
  const cluster = await deps.prisma.cluster.findUnique({ where: { accountId_region_name: { accountId: ref.accountId, region: ref.region, name: ref.cluster } } });
  if (!cluster?.lastRefreshedAt) throw new Error(`No refreshed association cache for cluster ${ref.cluster}: refresh the mappings first.`);
  const associations = await deps.prisma.podIdentityAssociation.findMany({ where: { clusterId: cluster.id, ...(opts.namespace ? { namespace: opts.namespace } : {}) } });
  const bySa = new Map(associations.map((a) => [`${a.namespace}/${a.serviceAccount}`, a]));
  const deletions = await deps.prisma.requestItem.findMany({
    where: { status: "applied", kind: "delete", cluster: ref.cluster, accountId: ref.accountId, region: ref.region },
    select: { namespace: true, serviceAccount: true, appliedAt: true },
  });
  const deletedAt = new Map(deletions.filter((d) => d.appliedAt).map((d) => [`${d.namespace}/${d.serviceAccount}`, d.appliedAt!]));
  const pods = await deps.kube.listPods(ref.cluster, { namespace: opts.namespace, clusterArn: ref.clusterArn ?? cluster.arn ?? undefined });
  const out: StalePod[] = [];
  for (const pod of pods) {
    const sa = `${pod.namespace}/${pod.serviceAccountName}`;
    const r = staleReason(pod, bySa.get(sa), deletedAt.get(sa));
    if (!r) continue;
    out.push({
      accountId: ref.accountId,
      region: ref.region,
      cluster: ref.cluster,
      namespace: pod.namespace,
      name: pod.name,
      uid: pod.uid,
      serviceAccount: pod.serviceAccountName,
      startedAt: pod.creationTimestamp,
      ...(pod.ownerKind ? { ownerKind: pod.ownerKind, ownerName: pod.ownerName } : {}),
      ...r,
    });
  }
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}
