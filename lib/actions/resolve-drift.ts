"use server";
import { resolveDrift, resolveDriftSchema } from "@/lib/drift/resolve";
import { requestsDeps } from "@/lib/requests/service";
import { runPipeline } from "@/lib/core/pipeline";

/** The /drift buttons (adopt, revoke, re-apply, restore): each files an approval-gated request. */
export async function resolveDriftAction(input: unknown) {
  return runPipeline(
    {
      name: "resolve-drift",
      permission: "requests:create",
      input: resolveDriftSchema,
      handler: ({ user, prisma, input }) => resolveDrift(requestsDeps(prisma), { id: user.id, login: user.login, role: user.role }, input),
    },
    input,
  );
}
