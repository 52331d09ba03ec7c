// The periodic part of campaigns, run by the expiry-sweep job (lib/jobs): a daily
// reminder to every reviewer with undecided items (a webhook notice each), and at
// the due date an escalation: the campaign turns "overdue" and one notice names
// the admins and approvers and who is behind. Each campaign change is a CAS with
// its audit row and its notices (outbox jobs) in the same transaction.
import type { PrismaClient } from "@/lib/db/generated/client";
import { enqueueJob } from "@/lib/jobs/queue";
import type { Tx } from "@/lib/requests";
import { auditReview } from "./audit";

export const REMIND_EVERY_MS = 24 * 3600_000;
const SYSTEM = "rolegate";

const notice = (tx: Tx, event: string, campaignId: string, text: string) =>
  enqueueJob(tx, { queue: "notify", payload: { event, requestId: campaignId, path: `/reviews/${campaignId}`, text }, maxAttempts: 5 });

export async function sweepReviewCampaigns(deps: { prisma: PrismaClient; now?: () => Date }): Promise<{ reminded: string[]; escalated: string[] }> {
  const at = deps.now?.() ?? new Date();
  const campaigns = await deps.prisma.reviewCampaign.findMany({ where: { status: { in: ["open", "overdue"] } }, include: { items: { where: { decision: null }, select: { reviewer: true } } } });
  const reminded: string[] = [];
  const escalated: string[] = [];
  for (const c of campaigns) {
    const behind = new Map<string, number>();
    for (const i of c.items) behind.set(i.reviewer, (behind.get(i.reviewer) ?? 0) + 1);
    if (behind.size === 0) continue;
    const list = [...behind].map(([r, n]) => `${r} (${n})`).join(", ");
    if (c.status === "open" && c.dueAt <= at) {
      const staff = await deps.prisma.user.findMany({ where: { role: { in: ["admin", "approver"] }, disabledAt: null }, select: { login: true }, orderBy: { login: "asc" } });
      const done = await deps.prisma.$transaction(async (tx) => {
        const n = await tx.reviewCampaign.updateMany({ where: { id: c.id, version: c.version, status: "open" }, data: { status: "overdue", escalatedAt: at, version: { increment: 1 } } });
        if (n.count !== 1) return false;
        await auditReview(tx, { actor: SYSTEM, event: "review.campaign_overdue", campaignId: c.id, fromState: "open", toState: "overdue", details: { dueAt: c.dueAt.toISOString(), undecided: c.items.length, behind: Object.fromEntries(behind), notified: staff.map((s) => s.login) } });
        await notice(tx, "review.overdue", c.id, `${staff.map((s) => `@${s.login}`).join(" ")} access review "${c.name}" is overdue (due ${c.dueAt.toISOString()}): ${c.items.length} undecided, behind: ${list}`);
        return true;
      });
      if (done) escalated.push(c.id);
      continue;
    }
    if (c.remindedAt && at.getTime() - c.remindedAt.getTime() < REMIND_EVERY_MS) continue;
    if (!c.remindedAt && at.getTime() - c.createdAt.getTime() < REMIND_EVERY_MS) continue;
    const done = await deps.prisma.$transaction(async (tx) => {
      const n = await tx.reviewCampaign.updateMany({ where: { id: c.id, version: c.version }, data: { remindedAt: at, version: { increment: 1 } } });
      if (n.count !== 1) return false;
      await auditReview(tx, { actor: SYSTEM, event: "review.reminders_sent", campaignId: c.id, details: { behind: Object.fromEntries(behind) } });
      for (const [reviewer, count] of behind) await notice(tx, "review.reminder", c.id, `@${reviewer}: ${count} mapping(s) still to review in "${c.name}", due ${c.dueAt.toISOString()}`);
      return true;
    });
    if (done) reminded.push(c.id);
  }
  return { reminded, escalated };
}
