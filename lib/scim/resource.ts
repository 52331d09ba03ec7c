// The SCIM User resource: what the IdP sends (Okta and Entra ID shapes, with
// attributes RoleGate does not keep ignored) and what RoleGate answers.
import { z } from "zod";
import type { User } from "@/lib/db/generated/client";
import { ScimError } from "./errors";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** Entra ID sends booleans as "True"/"False" strings in some PATCH operations. */
export const scimBoolean = z.union([z.boolean(), z.enum(["true", "false", "True", "False", "TRUE", "FALSE"]).transform((v) => v.toLowerCase() === "true")]);

const text = (max: number) => z.string().trim().max(max);

const emailSchema = z.object({ value: text(320).optional(), primary: scimBoolean.optional(), type: z.string().optional() }).loose();

/** The attributes RoleGate keeps; everything else an IdP sends (locale, title, enterprise extension...) is accepted and ignored. */
export const userInputSchema = z
  .object({
    schemas: z.array(z.string()).optional(),
    userName: text(256).min(1, "userName is required"),
    externalId: text(256).optional().nullable(),
    displayName: text(256).optional().nullable(),
    name: z.object({ formatted: text(256).optional(), givenName: text(128).optional(), familyName: text(128).optional() }).loose().optional().nullable(),
    emails: z.array(emailSchema).max(20).optional().nullable(),
    active: scimBoolean.optional(),
  })
  .loose();
export type UserInput = z.infer<typeof userInputSchema>;

export function parseUserInput(body: unknown): UserInput {
  const parsed = userInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ScimError(400, `${issue.path.join(".") || "body"}: ${issue.message}`, "invalidValue");
  }
  return parsed.data;
}

/** The values RoleGate stores for a SCIM user. */
export interface UserFields {
  userName: string;
  externalId: string | null;
  name: string;
  email: string | null;
  active: boolean;
}

export function fieldsOf(input: UserInput): UserFields {
  const primary = input.emails?.find((e) => e.primary && e.value) ?? input.emails?.find((e) => e.value);
  const given = [input.name?.givenName, input.name?.familyName].filter(Boolean).join(" ");
  return {
    userName: input.userName,
    externalId: input.externalId || null,
    name: input.displayName || input.name?.formatted || given || input.userName,
    email: primary?.value ?? (/^[^@\s]+@[^@\s]+$/.test(input.userName) ? input.userName : null),
    active: input.active ?? true,
  };
}

export function toScimUser(user: User, baseUrl: string) {
  const [givenName, ...rest] = user.name.split(" ");
  return {
    schemas: [USER_SCHEMA],
    id: user.id,
    ...(user.scimExternalId ? { externalId: user.scimExternalId } : {}),
    userName: user.scimUserName ?? user.login,
    displayName: user.name,
    name: { formatted: user.name, givenName: givenName ?? "", familyName: rest.join(" ") },
    ...(user.email ? { emails: [{ value: user.email, type: "work", primary: true }] } : {}),
    active: !user.deprovisionedAt,
    meta: {
      resourceType: "User",
      created: user.createdAt.toISOString(),
      lastModified: user.updatedAt.toISOString(),
      location: `${baseUrl}/scim/v2/Users/${user.id}`,
    },
  };
}
