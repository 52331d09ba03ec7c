"use server";
import { z } from "zod";
import { runtime } from "@/lib/runtime";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { runPipeline } from "@/lib/core/pipeline";

/** Starts a refresh of the cached associations; the page polls its progress. */
export async function refreshMappings(input: unknown = {}) {
  return runPipeline(
    {
      name: "refresh-mappings",
      permission: "mappings:refresh",
      input: z.object({}).strict(),
      handler: async ({ user, prisma }) => {
        const { aws, config } = runtime();
        const { refreshId, alreadyRunning, done } = await startMappingRefresh(
          { prisma, eks: aws.eks, identity: aws.identity, targets: config.targets },
          user.login,
        );
        // Runs on after the response; its progress is stored row by row.
        done.catch((e) => console.error(JSON.stringify({ level: "error", refreshId, error: (e as Error).message })));
        return { refreshId, alreadyRunning };
      },
    },
    input,
  );
}
