// What a template is, as filed through POST /api/v1/requests (an item of kind
// "template") and the /templates page: validated once here.
import { z } from "zod";
import { clusterNameSchema, roleArnSchema } from "@/lib/config/schema";
import { namespaceError } from "@/lib/trust";

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A cluster name with * and ? allowed (a glob over watched cluster names). */
const CLUSTER_GLOB = /^[A-Za-z0-9*?][A-Za-z0-9_*?-]{0,99}$/;
/** A service-account name pattern: the characters of DNS-1123 subdomains plus * and ?. */
const SA_PATTERN = /^[a-z0-9*?][-a-z0-9.*?]{0,252}$/;

/** One cluster entry: a name, a glob, or a Blue/Green pair "blue+green" (both names). */
const clusterEntry = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const pair = v.split("+");
    if (pair.length === 2) {
      for (const name of pair) if (!clusterNameSchema.safeParse(name).success) ctx.addIssue({ code: "custom", message: `"${name}" in the pair "${v}" is not a cluster name` });
      if (pair[0] === pair[1]) ctx.addIssue({ code: "custom", message: `a Blue/Green pair names two clusters, not "${pair[0]}" twice` });
    } else if (!CLUSTER_GLOB.test(v)) {
      ctx.addIssue({ code: "custom", message: `"${v}" is neither a cluster name, a glob (* and ?) nor a Blue/Green pair "blue+green"` });
    }
  });

const blankToUndefined = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), s.optional());

export const templateFields = {
  name: z.string().trim().regex(NAME, "must be a lower-case name of letters, digits and '-' (at most 63 characters)"),
  clusters: z.array(clusterEntry).min(1, "name at least one cluster").max(20, "at most 20 cluster entries"),
  namespace: z.string().trim().superRefine((v, ctx) => {
    const err = namespaceError(v);
    if (err) ctx.addIssue({ code: "custom", message: `${err} (a template names one namespace exactly)` });
  }),
  serviceAccountPattern: z.string().trim().regex(SA_PATTERN, "must be a service-account name pattern: lower-case letters, digits, '-', '.', with * and ?"),
  roleArn: roleArnSchema,
  targetRoleArn: blankToUndefined(roleArnSchema),
  disableSessionTags: z.boolean().default(false),
  sessionPolicy: blankToUndefined(z.string().max(2048, "must be at most 2,048 characters (EKS's limit)")),
  mappingTtlDays: blankToUndefined(z.coerce.number().int("must be whole days").min(1, "at least 1 day").max(366, "at most 366 days")),
  maxMappings: blankToUndefined(z.coerce.number().int("must be a whole number").min(1, "at least 1").max(10_000, "at most 10,000")),
  expiresAt: blankToUndefined(z.coerce.date()),
};

/** The item of POST /api/v1/requests that files (or edits: same name, next version) a template. */
export const templateRequestSchema = z
  .object({
    kind: z.literal("template"),
    ...templateFields,
    justification: blankToUndefined(z.string().trim().min(10, "explain why in at least 10 characters").max(2000)),
  })
  .strict();
export type TemplateInput = z.infer<typeof templateRequestSchema>;

export const templateIdSchema = z.object({ id: z.uuid("must be a template id (UUID)") });

/** A requester maps one service account under an active template (applied at once). */
export const templateMappingSchema = templateIdSchema.extend({
  cluster: clusterNameSchema,
  serviceAccount: z.string().trim().min(1).max(253),
  justification: blankToUndefined(z.string().trim().min(10, "explain why in at least 10 characters").max(2000)),
});

export const templateRevocationSchema = templateIdSchema.extend({
  justification: z.string().trim().min(10, "explain why in at least 10 characters").max(2000),
});
