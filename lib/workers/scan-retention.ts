// The periodic scan-history prune (lib/inventory/scan/retention.ts): one
// "scan-retention" job per hour slot (the slot key makes the enqueue of other
// replicas a no-op), and the prune itself deletes idempotently, so two runs at
// once delete each scan once. Like the scheduled scans it is the system's own
// housekeeping, not a change anyone made: it writes a log line, no audit row
// (manual scans are audited when started; their rows outlive the scans).
import type { PrismaClient } from "@/lib/db/generated/client";
import { enqueueJob } from "@/lib/jobs/queue";
import { log } from "@/lib/observability/log";
import type { ScanRetention } from "@/lib/config/schema";
import { pruneScanHistory, type PruneOutcome } from "@/lib/inventory/scan/retention";

export const SCAN_RETENTION_EVERY_MS = 3_600_000;

/** Enqueues the prune of the current hour slot (a no-op when that slot's job exists). */
export async function scheduleScanRetention(prisma: Pick<PrismaClient, "job">, at: Date = new Date(), everyMs = SCAN_RETENTION_EVERY_MS): Promise<void> {
  await enqueueJob(prisma, { queue: "scan-retention", key: `scan-retention:${Math.floor(at.getTime() / everyMs)}`, payload: {}, maxAttempts: 3 });
}

/** The "scan-retention" job. */
export async function runScanRetention(prisma: PrismaClient, settings: ScanRetention, now: Date = new Date()): Promise<PruneOutcome> {
  const pruned = await pruneScanHistory(prisma, settings, now);
  if (pruned.scans) log().info({ event: "inventory.scans_pruned", ...pruned, retentionDays: settings.days, minScans: settings.minScans }, "old inventory scans deleted");
  return pruned;
}
