// A create-role item of POST /api/v1/requests, validated once here with IAM's own
// limits (CreateRole's name, path, description and session bounds; 10 managed
// policies per role; the inline policy's grammar and 10,240-character size).
import { z } from "zod";
import { MAX_MANAGED_POLICIES, MAX_ROLE_TAGS, POLICY_ARN, POLICY_ARN_MESSAGE } from "./limits";
import { inlinePolicyErrors } from "./policy-grammar";

export { MAX_MANAGED_POLICIES, MAX_ROLE_TAGS };

export const CREATE_ROLE_KIND = "create-role";
export const INLINE_POLICY_NAME = "rolegate-inline";

export const policyArnSchema = z.string().trim().regex(POLICY_ARN, POLICY_ARN_MESSAGE);

const optional = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), s.optional());

export const createRoleItemSchema = z
  .object({
    kind: z.literal(CREATE_ROLE_KIND),
    roleName: z.string().trim().regex(/^[\w+=,.@-]{1,64}$/, "must be 1 to 64 letters, digits or + = , . @ _ - (IAM's role name)"),
    path: optional(z.string().regex(/^\/([\x21-\x7e]{0,510}\/)?$/, "must begin and end with / (e.g. /workloads/), printable ASCII without spaces, at most 512 characters")).transform((v) => v ?? "/"),
    description: optional(z.string().max(1000, "at most 1,000 characters").regex(/^[\t\n\r\x20-\x7e\xa1-\xff]*$/, "must be printable Latin-1 text")),
    managedPolicyArns: z
      .array(policyArnSchema)
      .max(MAX_MANAGED_POLICIES, `at most ${MAX_MANAGED_POLICIES} managed policies (IAM's PoliciesPerRole quota)`)
      .refine((a) => new Set(a).size === a.length, "names a policy twice")
      .default([]),
    inlinePolicy: optional(z.union([z.string(), z.record(z.string(), z.unknown())]).transform((v) => (typeof v === "string" ? v : JSON.stringify(v))))
      .superRefine((v, ctx) => {
        for (const message of v === undefined ? [] : inlinePolicyErrors(v)) ctx.addIssue({ code: "custom", message });
      }),
    permissionsBoundaryArn: optional(policyArnSchema),
    maxSessionDuration: optional(z.number().int("must be whole seconds").min(3600, "at least 3600 seconds (1 hour)").max(43200, "at most 43200 seconds (12 hours)")).transform((v) => v ?? 3600),
    tags: z
      .record(z.string().min(1).max(128).regex(/^(?!rolegate\.io\/)/, "rolegate.io/ tags are RoleGate's"), z.string().max(256))
      .refine((t) => Object.keys(t).length <= MAX_ROLE_TAGS, `at most ${MAX_ROLE_TAGS} tags`)
      .default({}),
  })
  .strict();
export type CreateRoleInput = z.infer<typeof createRoleItemSchema>;

export function roleArnOf(accountId: string, input: Pick<CreateRoleInput, "path" | "roleName">): string {
  return `arn:aws:iam::${accountId}:role${input.path}${input.roleName}`;
}

/** What a create-role item stores (RequestItem.roleSpec): the input and the trust it is born with. */
export type RoleSpec = Omit<CreateRoleInput, "kind"> & { trustPolicy: string };

export function roleSpecOf(value: unknown): RoleSpec | null {
  const v = value as RoleSpec | null;
  return v && typeof v.roleName === "string" && typeof v.trustPolicy === "string" ? v : null;
}
