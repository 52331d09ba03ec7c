"use server";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { fileIrsaCleanup } from "@/lib/migration/file-irsa-cleanup";
import { findCandidate } from "@/lib/migration/service";
import { requestsDeps } from "@/lib/requests/service";
import { restartDeps } from "@/lib/stale-pods/app-deps";
import { runPipeline } from "@/lib/core/pipeline";

/** /migration "Remove IRSA subject": the later clean-up request (this SA, this cluster's issuer only). */
export async function removeIrsaSubjectAction(input: unknown) {
  return runPipeline(
    {
      name: "remove-irsa-subject",
      permission: "requests:create",
      input: z.object({ key: z.string().min(3).max(600) }),
      handler: async ({ user, prisma, input }) => {
        const c = await findCandidate(prisma, input.key);
        const deps = { ...requestsDeps(prisma), kube: restartDeps(getConfig(), prisma).kube };
        return fileIrsaCleanup(deps, { id: user.id, login: user.login, role: user.role }, c);
      },
    },
    input,
  );
}
