import "server-only";
// The SCIM calls as operations of the one pipeline (lib/core/pipeline.ts): the
// caller is the IdP's SCIM client (access "scim": its own secret, no account),
// the SCIM bodies are validated by their zod schemas, and each change runs in the
// pipeline's transaction with its audit rows (actor "scim"): the change's own row,
// then the deactivation or reactivation it brought about. The wire (SCIM JSON,
// status codes, errors) is the SCIM adapter's (./http.ts, ./endpoints.ts).
import { z } from "zod";
import type { Prisma, User } from "@/lib/db/generated/client";
import { getConfig } from "@/lib/config";
import { defineOperation, type FollowUpAudit, type OperationContext } from "@/lib/core/operation";
import { patchSchema } from "./patch";
import { userInputSchema } from "./resource";
import { createScimUser, deleteScimUser, getScimUser, listScimUsers, patchScimUser, replaceScimUser, type ScimUserChange } from "./users";

/** A resource id from the path: any text (what is not a user's id is a 404, as SCIM expects, not a 400). */
const idSchema = z.object({ id: z.string() });

/** The pipeline's transaction (every SCIM change audits through the pipeline, so its handler has one). */
function txOf(ctx: OperationContext<unknown>): Prisma.TransactionClient {
  if (!ctx.tx) throw new Error("SCIM changes run in the pipeline's transaction");
  return ctx.tx;
}

const ofUser = (u: User) => ({ scimId: u.id, userName: u.scimUserName });

/** The change's own row, then the deactivation (sessions ended, tokens revoked) or reactivation it brought about. */
function changeAudit(event: "scim.user_created" | "scim.user_updated") {
  return {
    event,
    subject: (_: unknown, r: ScimUserChange) => r.user.login,
    details: (_: unknown, r: ScimUserChange) => ({ ...ofUser(r.user), ...r.changes }) as Prisma.InputJsonValue,
    followUps: (_: unknown, r: ScimUserChange): FollowUpAudit[] => [
      ...(r.accessCut ? [{ event: "scim.user_deactivated" as const, subject: r.user.login, details: { ...ofUser(r.user), ...r.accessCut } }] : []),
      ...(r.reactivated ? [{ event: "scim.user_reactivated" as const, subject: r.user.login, details: ofUser(r.user) }] : []),
    ],
  };
}

export const scimListUsersOp = defineOperation({
  name: "scim-list-users",
  access: "scim",
  input: z.object({ filter: z.string().optional(), startIndex: z.string().optional(), count: z.string().optional() }),
  handler: ({ prisma, input }) => listScimUsers(prisma, input),
  audit: "read-only",
});

export const scimGetUserOp = defineOperation({
  name: "scim-get-user",
  access: "scim",
  input: idSchema,
  handler: ({ prisma, input }) => getScimUser(prisma, input.id),
  audit: "read-only",
});

export const scimCreateUserOp = defineOperation({
  name: "scim-create-user",
  access: "scim",
  input: userInputSchema,
  handler: (ctx) => createScimUser(txOf(ctx), getConfig().mode, ctx.input, new Date()),
  audit: changeAudit("scim.user_created"),
});

/** PUT: the body (whose own "id", if any, yields to the path's). */
export const scimReplaceUserOp = defineOperation({
  name: "scim-replace-user",
  access: "scim",
  input: userInputSchema.extend(idSchema.shape),
  handler: (ctx) => replaceScimUser(txOf(ctx), ctx.input.id, ctx.input, new Date()),
  audit: changeAudit("scim.user_updated"),
});

export const scimPatchUserOp = defineOperation({
  name: "scim-patch-user",
  access: "scim",
  input: patchSchema.extend(idSchema.shape),
  handler: (ctx) => patchScimUser(txOf(ctx), ctx.input.id, ctx.input.Operations, new Date()),
  audit: changeAudit("scim.user_updated"),
});

export const scimDeleteUserOp = defineOperation({
  name: "scim-delete-user",
  access: "scim",
  input: idSchema,
  handler: (ctx) => deleteScimUser(txOf(ctx), ctx.input.id, new Date()),
  audit: {
    event: "scim.user_deleted",
    subject: (_, r) => r.user.login,
    details: (_, r) => ({ ...ofUser(r.user), ...r.accessCut }),
  },
});
