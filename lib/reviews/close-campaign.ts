// Closing a campaign: CAS open|overdue -> closed with its audit row, then a
// checkpoint of the audit chain (which now includes the close) is verified,
// signed with the audit key (lib/audit/checkpoint.ts) and stored on the campaign
// for the auditors' report. Undecided items stay undecided and are reported so.
import type { AuditCheckpoint } from "@/lib/audit/checkpoint";
import { getAuditKey, type AuditKey } from "@/lib/audit/key";
import { signVerifiedHead } from "@/lib/audit/verify";
import { DomainError } from "@/lib/core/errors";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import type { Actor } from "@/lib/requests";
import { auditReview } from "./audit";

export async function closeCampaign(deps: { prisma: PrismaClient; auditKey?: () => AuditKey; now?: () => Date }, actor: Actor, id: string): Promise<{ id: string; status: "closed"; checkpoint: AuditCheckpoint }> {
  const c = await deps.prisma.reviewCampaign.findUnique({ where: { id }, include: { items: { select: { decision: true } } } });
  if (!c) throw new DomainError("not_found", `No review campaign ${id}.`);
  if (c.status === "closed") throw new DomainError("conflict", "This campaign is already closed.");
  const at = deps.now?.() ?? new Date();
  await deps.prisma.$transaction(async (tx) => {
    const n = await tx.reviewCampaign.updateMany({ where: { id, version: c.version, status: { in: ["open", "overdue"] } }, data: { status: "closed", closedAt: at, closedBy: actor.login, version: { increment: 1 } } });
    if (n.count !== 1) throw new DomainError("conflict", "The campaign changed meanwhile: reload and try again.");
    await auditReview(tx, {
      actor: actor.login, event: "review.campaign_closed", campaignId: id, fromState: c.status, toState: "closed",
      details: { items: c.items.length, decided: c.items.filter((i) => i.decision).length, revoked: c.items.filter((i) => i.decision === "revoke").length },
    });
  });
  const { checkpoint } = await signVerifiedHead(deps.prisma, (deps.auditKey ?? getAuditKey)(), at);
  if (!checkpoint) throw new DomainError("unavailable", "The campaign is closed, but the audit chain does not verify, so no checkpoint was signed; run `rolegate audit verify`.");
  await deps.prisma.reviewCampaign.updateMany({ where: { id, status: "closed", closedAt: at, closedBy: actor.login }, data: { checkpoint: checkpoint as unknown as Prisma.InputJsonValue } });
  return { id, status: "closed", checkpoint };
}
