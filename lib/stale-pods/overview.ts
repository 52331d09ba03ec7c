// The /stale-pods page's data: per watched cluster, the stale pods found live
// (a cluster whose pods cannot be listed fails alone), each with its SA's
// association change time, plus the namespaces' auto-restart settings.
import "server-only";
import type { AppConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import { restartDeps } from "./app-deps";
import { findStalePods, type StalePod } from "./find";

interface StalePodRow extends StalePod {
  associationChangedAt: string | null;
}

export interface ClusterStalePods {
  clusterId: string;
  name: string;
  accountId: string;
  region: string;
  pods: StalePodRow[];
  error: string | null;
  namespaces: { namespace: string; autoRestart: boolean }[];
}

export async function stalePodsOverview(config: AppConfig, prisma: PrismaClient): Promise<ClusterStalePods[]> {
  const deps = restartDeps(config, prisma);
  const clusters = await prisma.cluster.findMany({ orderBy: [{ name: "asc" }] });
  const settings = await prisma.namespaceRestartSetting.findMany();
  return Promise.all(
    clusters.map(async (c) => {
      const ref = { accountId: c.accountId, region: c.region, cluster: c.name, ...(c.arn ? { clusterArn: c.arn } : {}) };
      const own = settings.filter((s) => s.accountId === c.accountId && s.region === c.region && s.cluster === c.name);
      let pods: StalePodRow[] = [];
      let error: string | null = null;
      try {
        const stale = await findStalePods(deps, ref);
        const assoc = await prisma.podIdentityAssociation.findMany({ where: { clusterId: c.id }, select: { namespace: true, serviceAccount: true, awsCreatedAt: true, awsModifiedAt: true } });
        const changed = new Map(assoc.map((a) => [`${a.namespace}/${a.serviceAccount}`, (a.awsModifiedAt > a.awsCreatedAt ? a.awsModifiedAt : a.awsCreatedAt).toISOString()]));
        pods = stale.map((p) => ({ ...p, associationChangedAt: changed.get(`${p.namespace}/${p.serviceAccount}`) ?? null }));
      } catch (e) {
        error = (e as Error).message;
      }
      const namespaces = [...new Set([...pods.map((p) => p.namespace), ...own.map((s) => s.namespace)])].sort();
      return {
        clusterId: c.id, name: c.name, accountId: c.accountId, region: c.region, pods, error,
        namespaces: namespaces.map((ns) => ({ namespace: ns, autoRestart: own.some((s) => s.namespace === ns && s.autoRestart) })),
      };
    }),
  );
}
