// The searchable catalogue of AWS managed policies a create-role item may attach,
// read from IAM (ListPolicies Scope=AWS) in a watched account: it is the same in
// every account, so the first target of the account asked for (else any) answers.
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { accountIdSchema } from "@/lib/config/schema";
import type { ManagedPolicyInfo } from "@/lib/aws/requests-gateway";
import type { RequestsDeps } from "../deps";
import { locationOf } from "../refresh-prechecks";

export const CATALOGUE_PAGE = 50;

export const managedPolicySearchSchema = z.object({
  query: z.string().trim().max(128).optional(),
  accountId: accountIdSchema.optional(),
});

export async function searchManagedPolicies(deps: Pick<RequestsDeps, "aws" | "targets">, input: z.infer<typeof managedPolicySearchSchema>): Promise<{ policies: ManagedPolicyInfo[]; total: number }> {
  const target = input.accountId ? deps.targets.find((t) => t.accountId === input.accountId) : deps.targets[0];
  if (!target) throw new DomainError("invalid", "Invalid input", { accountId: [`${input.accountId} is not a watched account`] });
  // IAM being out of reach is not the caller's mistake, nor a bug: 503, try again.
  const all = await deps.aws.policies.list(locationOf(deps.targets, target)).catch((e: unknown) => {
    throw new DomainError("unavailable", `IAM's policy catalogue could not be read (${(e as Error).message}); try again later.`);
  });
  const q = input.query?.toLowerCase() ?? "";
  const hits = all.filter((p) => p.name.toLowerCase().includes(q) || p.arn.toLowerCase().includes(q)).sort((a, b) => a.name.localeCompare(b.name));
  return { policies: hits.slice(0, CATALOGUE_PAGE), total: hits.length };
}
