// A reviewer's decision on one item: keep (with a comment) or revoke, which files
// the removing request through fileRequest and the normal approval gate. Only the
// item's one reviewer decides; a decided item or a closed campaign answers 409.
// The item changes by compare-and-swap (undecided, same version) with its audit
// row in the same transaction — for revoke, the transaction that files the request.
import { DomainError } from "@/lib/core/errors";
import type { Actor, RequestsDeps, Tx } from "@/lib/requests";
import { auditReview } from "./audit";
import type { ReviewsDeps } from "./deps";
import { mappingRequesters, type ItemEvidence } from "./evidence";
import { fileRevocation } from "./file-revocation";
import { mayReview } from "./reviewers";
import type { DecisionInput } from "./input";

/** The request services plus the latest scan (an IRSA revoke names the cluster's SAs that use the role). */
export type DecideDeps = RequestsDeps & Pick<ReviewsDeps, "snapshot">;

async function claim(tx: Tx, actor: Actor, input: DecisionInput, version: number, resultRequestId: string | null) {
  // FOR SHARE: closing the campaign (an UPDATE of this row) waits for this decision, and vice versa.
  const [campaign] = await tx.$queryRaw<{ status: string }[]>`SELECT "status" FROM "ReviewCampaign" WHERE "id" = ${input.id}::uuid FOR SHARE`;
  if (campaign?.status === "closed") throw new DomainError("conflict", "This campaign is closed: decisions can no longer change.");
  const n = await tx.reviewItem.updateMany({
    where: { id: input.itemId, campaignId: input.id, reviewer: actor.login, decision: null, version },
    data: { decision: input.decision, comment: input.comment ?? null, decidedBy: actor.login, decidedAt: new Date(), resultRequestId, version: { increment: 1 } },
  });
  if (n.count !== 1) throw new DomainError("conflict", "This item was decided meanwhile: reload to see the decision.");
}

export async function decideItem(deps: DecideDeps, actor: Actor, input: DecisionInput): Promise<{ id: string; decision: string; requestId: string | null }> {
  const item = await deps.prisma.reviewItem.findFirst({ where: { id: input.itemId, campaignId: input.id }, include: { campaign: true } });
  if (!item) throw new DomainError("not_found", `No review item ${input.itemId} in campaign ${input.id}.`);
  if (item.campaign.status === "closed") throw new DomainError("conflict", "This campaign is closed: decisions can no longer change.");
  if (item.reviewer !== actor.login) throw new DomainError("forbidden", `This item is assigned to ${item.reviewer}; only they may decide it.`);
  // Assigned so at start (reviewers.ts); checked again, with every requester of the mapping as of now (a request
  // applied mid-campaign counts too), so no path lets anyone recertify their own access or request.
  const evidence = item.evidence as Partial<ItemEvidence>;
  const requesters = [...(evidence.requesters ?? []), ...(evidence.requestedBy ? [evidence.requestedBy] : []), ...(await mappingRequesters(deps.prisma, deps.kinds, item))];
  if (!mayReview(actor.login, item, requesters)) throw new DomainError("forbidden", "You cannot review your own service account's mapping or a mapping you requested.");
  if (item.decision) throw new DomainError("conflict", `This item is already decided (${item.decision} by ${item.decidedBy}).`);
  const where = { cluster: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, roleArn: item.roleArn };
  const decide = async (tx: Tx, requestId: string | null) => {
    await claim(tx, actor, input, item.version, requestId);
    await auditReview(tx, {
      actor: actor.login, event: "review.item_decided", campaignId: item.campaignId, item: where, requestId: requestId ?? undefined, toState: input.decision,
      details: { itemId: item.id, mechanism: item.mechanism, decision: input.decision, comment: input.comment ?? null, suggestion: item.suggestion, resultRequestId: requestId },
    });
  };
  if (input.decision === "keep") {
    await deps.prisma.$transaction((tx) => decide(tx, null));
    return { id: item.id, decision: "keep", requestId: null };
  }
  const why = `Access review "${item.campaign.name}": ${actor.login} revokes ${item.namespace}/${item.serviceAccount} on ${item.cluster} -> ${item.roleArn} (${item.mechanism})${input.comment ? `: ${input.comment}` : "."}`;
  const requestId = await fileRevocation(deps, actor, item, why, decide);
  return { id: item.id, decision: "revoke", requestId };
}
