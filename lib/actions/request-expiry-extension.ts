"use server";
import { extensionSchema, requestExtension } from "@/lib/expiry/extend";
import { requestsDeps } from "@/lib/requests/service";
import { runPipeline } from "@/lib/core/pipeline";

/** /expiry "Request extension": the mapping's requester files an approval-gated request moving its expiry. */
export async function requestExpiryExtensionAction(input: unknown) {
  return runPipeline(
    {
      name: "request-expiry-extension",
      permission: "requests:create",
      input: extensionSchema,
      handler: ({ user, prisma, input }) => requestExtension(requestsDeps(prisma), { id: user.id, login: user.login, role: user.role }, input),
    },
    input,
  );
}
