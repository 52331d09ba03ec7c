"use server";
import { fileCopyRequest, pairInputSchema } from "@/lib/bluegreen/service";
import { requestsDeps } from "@/lib/requests/service";
import { runPipeline } from "@/lib/core/pipeline";

/** /bluegreen "Copy mappings to Green": one batch request with a create item per association missing on Green. */
export async function copyMappingsToGreenAction(input: unknown) {
  return runPipeline(
    {
      name: "copy-mappings-to-green",
      permission: "requests:create",
      input: pairInputSchema,
      handler: ({ user, prisma, input }) => fileCopyRequest(requestsDeps(prisma), { id: user.id, login: user.login, role: user.role }, input),
    },
    input,
  );
}
