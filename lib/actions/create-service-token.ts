"use server";
import { z } from "zod";
import { createServiceToken, MAX_TOKEN_DAYS } from "@/lib/auth/api-tokens";
import { ROLES } from "@/lib/auth/permissions";
import { defineAction } from "@/lib/core/pipeline";
import { DomainError } from "@/lib/core/errors";

/** Admins only: a service token acting as "svc:<name>" with the chosen role. */
const serviceTokenSpec = defineAction({
  name: "create-service-token",
  permission: "tokens:service",
  input: z
    .object({
      name: z.string().trim().min(1, "give the service a name").max(48).regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and - only"),
      role: z.enum(ROLES),
      expiresInDays: z.coerce.number().int().min(1).max(MAX_TOKEN_DAYS),
    })
    .strict(),
  async handler({ user, input, prisma }) {
    if (user.via !== "session") throw new DomainError("forbidden", "Create API tokens from a signed-in browser session, not with another token.");
    const created = await prisma.$transaction((tx) => createServiceToken(tx, user, input.name, input.role, input.expiresInDays));
    if (created === "name_taken") throw new DomainError("conflict", `"svc:${input.name}" is already a person's login; pick another service name.`);
    return created;
  },
});

export async function createServiceTokenAction(input: unknown) {
  return serviceTokenSpec(input as never);
}
