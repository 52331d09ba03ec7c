"use server";
import { z } from "zod";
import { revokeToken } from "@/lib/auth/api-tokens";
import { defineAction } from "@/lib/core/pipeline";
import { DomainError } from "@/lib/core/errors";

/** Revokes one of the caller's personal tokens (admins: any token). Idempotent. */
const revokeTokenSpec = defineAction({
  name: "revoke-token",
  permission: "tokens:personal",
  input: z.object({ id: z.uuid("must be a token id") }).strict(),
  async handler({ user, input, prisma }) {
    const outcome = await prisma.$transaction((tx) => revokeToken(tx, user, input.id));
    if (outcome === "not_found") throw new DomainError("not_found", "There is no such token of yours.");
    return { id: input.id };
  },
});

export async function revokeTokenAction(input: unknown) {
  return revokeTokenSpec(input as never);
}
