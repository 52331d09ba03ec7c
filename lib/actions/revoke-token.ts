"use server";
import { z } from "zod";
import { revokeToken } from "@/lib/auth/api-tokens";
import { defineAction } from "./pipeline";
import { ActionError } from "./result";

/** Revokes one of the caller's personal tokens (admins: any token). Idempotent. */
const revokeTokenSpec = defineAction({
  name: "revoke-token",
  permission: "tokens:personal",
  input: z.object({ id: z.uuid("must be a token id") }).strict(),
  async handler({ user, input, prisma }) {
    const outcome = await prisma.$transaction((tx) => revokeToken(tx, user, input.id));
    if (outcome === "not_found") throw new ActionError("not_found", "There is no such token of yours.");
    return { id: input.id };
  },
});

export async function revokeTokenAction(input: unknown) {
  return revokeTokenSpec(input as never);
}
