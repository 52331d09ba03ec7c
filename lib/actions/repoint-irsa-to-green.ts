"use server";
import { fileRepointRequest, pairInputSchema } from "@/lib/bluegreen/service";
import { requestsDeps } from "@/lib/requests/service";
import { runPipeline } from "@/lib/core/pipeline";

/** /bluegreen IRSA re-pointing: one request of iam-trust-update items adding the Green issuer's statements (IAM team approval). */
export async function repointIrsaToGreenAction(input: unknown) {
  return runPipeline(
    {
      name: "repoint-irsa-to-green",
      permission: "requests:create",
      input: pairInputSchema,
      handler: ({ user, prisma, input }) => fileRepointRequest(requestsDeps(prisma), { id: user.id, login: user.login, role: user.role }, input),
    },
    input,
  );
}
