"use server";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { scanServiceDeps } from "@/lib/inventory/scan/app-deps";
import { startScan as startInventoryScan } from "@/lib/inventory/scan/service";
import { runPipeline } from "@/lib/core/pipeline";

/** The Rescan button: starts an inventory scan (or joins the running one); the page polls GET /api/v1/scans/{id}. */
export async function startScan(input: unknown = {}) {
  return runPipeline(
    {
      name: "start-scan",
      permission: "inventory:scan",
      input: z.object({}).strict(),
      handler: async ({ user, prisma, requestId }) => {
        const { scanId, alreadyRunning, done } = await startInventoryScan(scanServiceDeps(getConfig(), prisma), "manual", user.login);
        // Runs on after the response; its progress is stored on the Scan row.
        done.catch((e) => console.error(JSON.stringify({ level: "error", requestId, scanId, error: (e as Error).message })));
        return { scanId, alreadyRunning };
      },
    },
    input,
  );
}
