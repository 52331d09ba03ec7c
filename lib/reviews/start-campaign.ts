// Starting a campaign: every mapping in scope (latest scan) becomes one item with
// exactly one reviewer, its evidence gathered now (IAM RoleLastUsed, running pods,
// approval, findings) and a "revoke" suggestion when unused. Campaign, items,
// audit row and the reviewers' notices are written in one transaction.
import { randomUUID } from "node:crypto";
import { DomainError } from "@/lib/core/errors";
import type { Prisma } from "@/lib/db/generated/client";
import { enqueueJob } from "@/lib/jobs/queue";
import { analyzeSnapshotAsync } from "@/lib/inventory/analysis";
import type { Actor } from "@/lib/requests";
import { auditReview } from "./audit";
import type { ReviewsDeps } from "./deps";
import { lastApproval, roleFindings, roleLastUsedReader, runningPods, suggestRevoke, type ItemEvidence } from "./evidence";
import type { StartCampaignInput } from "./input";
import { scopedMappings } from "./mappings";
import { chooseReviewer, type ReviewerContext } from "./reviewers";

export async function startCampaign(deps: ReviewsDeps, actor: Actor, input: StartCampaignInput): Promise<{ id: string; items: number }> {
  const snapshot = await deps.snapshot();
  if (!snapshot) throw new DomainError("invalid", "No inventory scan yet: run a scan first, the campaign reviews the mappings it found.");
  const analysis = await analyzeSnapshotAsync(snapshot);
  const mappings = scopedMappings(snapshot, analysis, input.scope);
  if (mappings.length === 0) throw new DomainError("invalid", "Invalid input", { scope: ["no mapping of the latest scan is in this scope"] });
  const at = deps.now?.() ?? new Date();
  const users = await deps.prisma.user.findMany({ where: { disabledAt: null }, select: { login: true, role: true } });
  const ctx: ReviewerContext = {
    owners: deps.owners,
    iamTeam: users.filter((u) => u.role === "approver").map((u) => u.login),
    users: new Set(users.map((u) => u.login)),
    load: new Map(),
  };
  const lastUsed = roleLastUsedReader(deps.aws);
  const items: (Omit<Prisma.ReviewItemCreateManyInput, "campaignId"> & { reviewer: string; suggestion: string | null })[] = [];
  for (const [position, m] of mappings.entries()) {
    const approval = await lastApproval(deps.prisma, deps.kinds, m);
    const used = await lastUsed(m);
    const evidence: ItemEvidence = {
      roleLastUsed: used.date,
      roleLastUsedRegion: used.region,
      roleReadable: used.readable,
      runningPods: runningPods(snapshot, m),
      approvedBy: approval?.approvedBy ?? [],
      approvedAt: approval?.approvedAt ?? null,
      requestedBy: approval?.requester ?? null,
      requesters: approval?.requesters ?? [],
      requestId: approval?.requestId ?? null,
      findings: roleFindings(analysis.findings, m.roleArn),
    };
    const { reviewer, rule } = chooseReviewer(m, approval?.requesters ?? [], ctx);
    items.push({
      id: randomUUID(), position, mechanism: m.mechanism, cluster: m.cluster, accountId: m.accountId, region: m.region, namespace: m.namespace,
      serviceAccount: m.serviceAccount, roleArn: m.roleArn, associationId: m.associationId, via: m.via, reviewer, reviewerRule: rule,
      evidence: evidence as unknown as Prisma.InputJsonValue, suggestion: suggestRevoke(evidence, deps.unusedDays, at) ? "revoke" : null,
    });
  }
  const id = randomUUID();
  const perReviewer = new Map<string, number>();
  for (const i of items) perReviewer.set(i.reviewer, (perReviewer.get(i.reviewer) ?? 0) + 1);
  await deps.prisma.$transaction(async (tx) => {
    await tx.reviewCampaign.create({ data: { id, name: input.name, scope: input.scope as Prisma.InputJsonValue, dueAt: input.dueAt, createdBy: actor.login, createdAt: at } });
    await tx.reviewItem.createMany({ data: items.map((i) => ({ ...i, campaignId: id }) as Prisma.ReviewItemCreateManyInput) });
    await auditReview(tx, {
      actor: actor.login, event: "review.campaign_started", campaignId: id, toState: "open",
      details: { name: input.name, scope: input.scope, dueAt: input.dueAt.toISOString(), items: items.length, suggestedRevoke: items.filter((i) => i.suggestion).length, reviewers: Object.fromEntries(perReviewer) },
    });
    for (const [reviewer, count] of perReviewer) {
      await enqueueJob(tx, { queue: "notify", payload: { event: "review.assigned", requestId: id, path: `/reviews/mine?campaign=${id}`, text: `@${reviewer}: ${count} mapping(s) to review in "${input.name}", due ${input.dueAt.toISOString()}` }, maxAttempts: 5 });
    }
  });
  return { id, items: items.length };
}
