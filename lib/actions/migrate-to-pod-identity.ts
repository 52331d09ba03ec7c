"use server";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { fileMigration } from "@/lib/migration/file-migration";
import { findCandidate } from "@/lib/migration/service";
import { requestsDeps } from "@/lib/requests/service";
import { restartDeps } from "@/lib/stale-pods/app-deps";
import { runPipeline } from "@/lib/core/pipeline";

/** /migration "Migrate": files step 1 (trust, association, pod restart) as one approval-gated request. */
export async function migrateToPodIdentityAction(input: unknown) {
  return runPipeline(
    {
      name: "migrate-to-pod-identity",
      permission: "requests:create",
      input: z.object({ key: z.string().min(3).max(600) }),
      handler: async ({ user, prisma, input }) => {
        const c = await findCandidate(prisma, input.key);
        const deps = { ...requestsDeps(prisma), kube: restartDeps(getConfig(), prisma).kube };
        return fileMigration(deps, { id: user.id, login: user.login, role: user.role }, c);
      },
    },
    input,
  );
}
