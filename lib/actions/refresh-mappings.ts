"use server";
import { z } from "zod";
import { getAwsGateway } from "@/lib/aws";
import { getConfig } from "@/lib/config";
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
        const config = getConfig();
        const { refreshId, alreadyRunning, done } = await startMappingRefresh(
          { prisma, ...getAwsGateway(config), targets: config.targets },
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
