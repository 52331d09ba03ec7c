"use server";
import { cleanupInputSchema, fileCleanupRequest } from "@/lib/bluegreen/service";
import { requestsDeps } from "@/lib/requests/service";
import { runPipeline } from "@/lib/core/pipeline";

/** /bluegreen clean-up: one request of iam-trust-update items removing only a retired cluster's issuer (refused for a live cluster's issuer). */
export async function cleanUpRetiredIssuerAction(input: unknown) {
  return runPipeline(
    {
      name: "clean-up-retired-issuer",
      permission: "requests:create",
      input: cleanupInputSchema,
      handler: ({ user, prisma, input }) => fileCleanupRequest(requestsDeps(prisma), { id: user.id, login: user.login, role: user.role }, input),
    },
    input,
  );
}
