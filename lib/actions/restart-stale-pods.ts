"use server";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { restartDeps } from "@/lib/stale-pods/app-deps";
import { restartStalePods } from "@/lib/stale-pods/restart";
import { findWatchedCluster } from "@/lib/inventory/find-watched-cluster";
import { runPipeline } from "@/lib/core/pipeline";

/** Restart (or dry-run) the stale pods of one watched cluster: a request, or immediate where auto-restart is on. */
export async function restartStalePodsAction(input: unknown) {
  return runPipeline(
    {
      name: "restart-stale-pods",
      permission: "requests:create",
      input: z.object({ clusterId: z.string().uuid(), namespace: z.string().min(1).max(63).optional(), dryRun: z.boolean().default(true) }),
      handler: async ({ user, prisma, input }) => {
        // Where the cluster lives comes from the server's cache, never from the client.
        const c = await findWatchedCluster(prisma, input.clusterId);
        return restartStalePods(restartDeps(getConfig(), prisma), { id: user.id, login: user.login, role: user.role }, { accountId: c.accountId, region: c.region, cluster: c.name, ...(c.arn ? { clusterArn: c.arn } : {}) }, { namespace: input.namespace, dryRun: input.dryRun });
      },
    },
    input,
  );
}
