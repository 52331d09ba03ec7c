"use server";
import { z } from "zod";
import { setAutoRestart } from "@/lib/stale-pods/restart";
import { findWatchedCluster } from "@/lib/inventory/find-watched-cluster";
import { runPipeline } from "@/lib/core/pipeline";

/** Admin only: restart stale pods of a namespace without a request. */
export async function setAutoRestartAction(input: unknown) {
  return runPipeline(
    {
      name: "set-auto-restart",
      permission: "lifecycle:manage",
      input: z.object({ clusterId: z.string().uuid(), namespace: z.string().min(1).max(63), enabled: z.boolean() }),
      handler: async ({ user, prisma, input }) => {
        const c = await findWatchedCluster(prisma, input.clusterId);
        const row = await setAutoRestart(prisma, user.login, { accountId: c.accountId, region: c.region, cluster: c.name, namespace: input.namespace, enabled: input.enabled });
        return { namespace: row.namespace, autoRestart: row.autoRestart };
      },
    },
    input,
  );
}
