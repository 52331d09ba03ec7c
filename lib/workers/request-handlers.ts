// The job handlers of the request workflow, wired to their dependencies.
// The periodic "expiry sweep" is a queue job too: every tick enqueues it under a
// key for the current time slot, so with several runners (replicas) on one
// database each slot's sweep runs once. It expires pending requests past their
// TTL, files the system revocations of time-bound mappings, and reminds and
// escalates access review campaigns.
import type { PrismaClient } from "@/lib/db/generated/client";
import { applyRequest, expireRequests, revokeExpiredMappings, type ApplyDeps, type ItemKinds } from "@/lib/requests";
import { fileChainTrustFollowUps } from "@/lib/cross-account/file-chain-trust";
import { sendExpiryNotices } from "@/lib/expiry/notice";
import { sweepReviewCampaigns } from "@/lib/reviews/sweep";
import { recordApplyOutcome } from "@/lib/observability/metrics";
import { enqueueJob, type JobQueue } from "@/lib/jobs/queue";
import { JobRunner, type JobHandler, type RunnerOptions } from "@/lib/jobs/runner";
import { sendWebhook, type Notification } from "@/lib/jobs/webhook";

export const EXPIRY_SWEEP_EVERY_MS = 60_000;

export interface SweepDeps {
  prisma: PrismaClient;
  /** Revocations restart the revoked SA's pods where the namespace restarts automatically (kinds.podLister). */
  kinds: ItemKinds;
  now?: () => Date;
}

export async function runExpirySweep(deps: SweepDeps): Promise<{ expired: string[]; revocations: string[]; notices: string[]; reviews: { reminded: string[]; escalated: string[] } }> {
  const expired = await expireRequests(deps);
  const revocations = await revokeExpiredMappings(deps);
  // Webhook notices ROLEGATE_EXPIRY_NOTICE_HOURS ahead of time-bound mappings' expiry (lib/expiry/notice.ts).
  const notices = await sendExpiryNotices(deps);
  // Access review campaigns: daily reminders, escalation at the due date (lib/reviews/sweep.ts).
  const reviews = await sweepReviewCampaigns(deps);
  return { expired, revocations, notices, reviews };
}

/** Enqueues the sweep of the current time slot (a no-op when that slot's job exists). */
export async function scheduleExpirySweep(prisma: PrismaClient, at: Date = new Date(), everyMs = EXPIRY_SWEEP_EVERY_MS): Promise<void> {
  await enqueueJob(prisma, { queue: "expiry-sweep", key: `expiry-sweep:${Math.floor(at.getTime() / everyMs)}`, payload: {}, maxAttempts: 3 });
}

/** Other domains' periodic jobs, run by the same runner (e.g. scheduled inventory scans). */
export interface ExtraJobs {
  handlers?: Partial<Record<JobQueue, JobHandler>>;
  onTick?: (at: Date) => Promise<unknown>;
}

export function createRequestRunner(deps: ApplyDeps & { now?: () => Date }, options: RunnerOptions = {}, notify = sendWebhook, extra: ExtraJobs = {}): JobRunner {
  const clock = deps.now ?? (() => new Date());
  return new JobRunner(
    deps.prisma,
    {
      "apply-request": async (job) => {
        const requestId = String(job.payload.requestId);
        recordApplyOutcome(await applyRequest(deps, requestId));
        // Cross-account in one flow: the target role's trust update, filed once the association (and its external id) exists.
        // Also on a re-run ("skipped"): a filing that failed after the apply is tried again with the job.
        await fileChainTrustFollowUps(deps, requestId);
      },
      notify: async (job) => {
        await notify(job.payload as unknown as Notification);
      },
      "expiry-sweep": async () => {
        await runExpirySweep({ prisma: deps.prisma, kinds: deps.kinds, now: clock });
      },
      ...extra.handlers,
    },
    {
      onTick: async () => {
        const at = clock();
        await scheduleExpirySweep(deps.prisma, at);
        await extra.onTick?.(at);
      },
      ...options,
    },
  );
}
