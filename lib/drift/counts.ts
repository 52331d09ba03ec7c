// Drift counts without the report: the overview shows how many findings of each
// kind /drift lists, and must not read every cached association to say so (at
// 10,000 associations that read was most of the overview's time). The same
// rules as computeDrift: every cached association without an approved state is
// out of band, so only the associations of service accounts RoleGate approved
// something for are read (to compare them); the rest are counted in SQL.
import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { approvedAssociations, differences, driftKey, type DriftKind, type DriftKinds } from "./state";

export async function countDrift(prisma: Pick<PrismaClient, "requestItem" | "cluster" | "podIdentityAssociation">, kinds: DriftKinds): Promise<Record<DriftKind, number>> {
  const approved = await approvedAssociations(prisma, kinds);
  const clusters = await prisma.cluster.findMany({
    select: { id: true, accountId: true, region: true, name: true, lastRefreshedAt: true, lastRefreshError: true, _count: { select: { associations: true } } },
  });
  const serviceAccounts = [...new Set([...approved.keys()].map((k) => k.split("/")[4]!))];
  const compared = serviceAccounts.length
    ? await prisma.podIdentityAssociation.findMany({
        where: { serviceAccount: { in: serviceAccounts } },
        select: { clusterId: true, namespace: true, serviceAccount: true, associationId: true, roleArn: true, targetRoleArn: true, disableSessionTags: true },
      })
    : [];
  const byId = new Map(clusters.map((c) => [c.id, c]));
  const counts: Record<DriftKind, number> = { "out-of-band": clusters.reduce((n, c) => n + c._count.associations, 0), missing: 0, changed: 0 };
  const seen = new Set<string>();
  for (const a of compared) {
    const c = byId.get(a.clusterId)!;
    const key = driftKey({ accountId: c.accountId, region: c.region, cluster: c.name, namespace: a.namespace, serviceAccount: a.serviceAccount });
    const want = approved.get(key);
    if (!want) continue;
    seen.add(key);
    counts["out-of-band"]--;
    if (differences(want, a).length) counts.changed++;
  }
  const reliable = new Set(clusters.filter((c) => c.lastRefreshedAt && !c.lastRefreshError).map((c) => `${c.accountId}/${c.region}/${c.name}`));
  for (const key of approved.keys()) {
    if (seen.has(key)) continue;
    const [accountId, region, cluster] = key.split("/") as [string, string, string];
    if (reliable.has(`${accountId}/${region}/${cluster}`)) counts.missing++;
  }
  return counts;
}
