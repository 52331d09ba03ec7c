"use server";
import { z } from "zod";
import { createPersonalToken, MAX_TOKEN_DAYS } from "@/lib/auth/api-tokens";
import { defineAction } from "@/lib/core/pipeline";
import { DomainError } from "@/lib/core/errors";

const tokenNameSchema = z.string().trim().min(1, "give the token a name").max(64).regex(/^[\w .:-]+$/, "letters, digits, space, . : _ - only");

/** A personal API token acting with the caller's own role. The input has no role: it cannot be chosen. */
const personalTokenSpec = defineAction({
  name: "create-personal-token",
  permission: "tokens:personal",
  input: z.object({ name: tokenNameSchema, expiresInDays: z.coerce.number().int().min(1).max(MAX_TOKEN_DAYS) }).strict(),
  async handler({ user, input, prisma }) {
    if (user.via !== "session") throw new DomainError("forbidden", "Create API tokens from a signed-in browser session, not with another token.");
    return prisma.$transaction((tx) => createPersonalToken(tx, user, input.name, input.expiresInDays));
  },
});

export async function createPersonalTokenAction(input: unknown) {
  return personalTokenSpec(input as never);
}
