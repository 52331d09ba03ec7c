// The cached copy of Pod Identity associations (/mappings?view=associations):
// the row shape the refresh writes, and the one-row update an applied request
// makes in the transaction that records the item, so the list shows the change
// at once instead of after the next refresh.
import type { Prisma } from "@/lib/db/generated/client";
import type { AssociationDetail } from "@/lib/aws";

export function associationRow(clusterId: string, d: AssociationDetail, at: Date) {
  return {
    clusterId,
    associationId: d.associationId,
    associationArn: d.associationArn,
    namespace: d.namespace,
    serviceAccount: d.serviceAccount,
    roleArn: d.roleArn,
    targetRoleArn: d.targetRoleArn ?? null,
    externalId: d.externalId ?? null,
    disableSessionTags: d.disableSessionTags,
    sessionPolicy: d.policy ?? null,
    ownerArn: d.ownerArn ?? null,
    tags: d.tags,
    awsCreatedAt: d.createdAt,
    awsModifiedAt: d.modifiedAt,
    refreshedAt: at,
  };
}

export type AppliedAssociation =
  | { cluster: { accountId: string; region: string; name: string }; present: AssociationDetail }
  | { cluster: { accountId: string; region: string; name: string }; deleted: string };

/**
 * Puts what AWS now holds for one association into the cache (or removes a deleted one).
 * A cluster never refreshed has no cached rows to correct: nothing is written.
 */
/**
 * One writer of a cluster's cached associations at a time (an apply, change events on
 * any replica): without it, two upserts of one new association race to insert it and
 * the loser's transaction fails (an apply would then be retried for nothing).
 */
export async function lockClusterAssociations(tx: Prisma.TransactionClient, clusterId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Cluster" WHERE "id" = ${clusterId}::uuid FOR UPDATE`;
}

export async function cacheAppliedAssociation(tx: Prisma.TransactionClient, applied: AppliedAssociation, at: Date): Promise<void> {
  const { accountId, region, name } = applied.cluster;
  const cluster = await tx.cluster.findUnique({ where: { accountId_region_name: { accountId, region, name } }, select: { id: true } });
  if (!cluster) return;
  await lockClusterAssociations(tx, cluster.id);
  if ("deleted" in applied) {
    await tx.podIdentityAssociation.deleteMany({ where: { clusterId: cluster.id, associationId: applied.deleted } });
    return;
  }
  const d = applied.present;
  // One association per service account: a row the cache still holds for the SA under another id is gone in AWS.
  await tx.podIdentityAssociation.deleteMany({ where: { clusterId: cluster.id, namespace: d.namespace, serviceAccount: d.serviceAccount, NOT: { associationId: d.associationId } } });
  const row = associationRow(cluster.id, d, at);
  await tx.podIdentityAssociation.upsert({ where: { clusterId_associationId: { clusterId: cluster.id, associationId: d.associationId } }, create: row, update: row });
}
