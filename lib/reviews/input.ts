// What a client may send to the reviews operations; everything else is resolved on the server.
import { z } from "zod";

const names = (what: string) => z.array(z.string().trim().min(1, `${what} must not be empty`).max(300)).max(200).optional();

export const reviewScopeSchema = z.object({
  clusters: names("cluster names"),
  namespaces: names("namespaces"),
  roles: names("role ARNs or names"),
  mechanism: z.enum(["pod-identity", "irsa"], "mechanism must be pod-identity or irsa").optional(),
});
export type ReviewScope = z.infer<typeof reviewScopeSchema>;

export const startCampaignSchema = z.object({
  name: z.string().trim().min(3, "name needs at least 3 characters").max(200),
  scope: reviewScopeSchema.default({}),
  dueAt: z.coerce.date("dueAt must be an ISO date-time").refine((d) => d.getTime() > Date.now(), "dueAt must be in the future"),
});
export type StartCampaignInput = z.infer<typeof startCampaignSchema>;

export const campaignIdSchema = z.object({ id: z.uuid("id must be a campaign id (uuid)") });

export const decisionSchema = z.object({
  id: z.uuid("id must be a campaign id (uuid)"),
  itemId: z.uuid("itemId must be a review item id (uuid)"),
  decision: z.enum(["keep", "revoke"], "decision must be keep or revoke"),
  comment: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().max(2000).optional()),
}).refine((d) => d.decision !== "keep" || (d.comment?.length ?? 0) >= 3, { path: ["comment"], message: "keep needs a comment (at least 3 characters) saying why the access is still needed" });
export type DecisionInput = z.infer<typeof decisionSchema>;

export const reportSchema = z.object({ id: z.uuid("id must be a campaign id (uuid)"), format: z.enum(["csv", "json"], "format must be csv or json").default("json") });
