// Scheduled scans run in the job queue: every ROLEGATE_SCAN_INTERVAL_MINUTES
// (default 60) one "scheduled-scan" job per interval slot. The scan lease still
// lets one scan run at a time, and a scan that started less than 90% of the
// interval ago (a manual one, say) makes the scheduled one skip.
import { enqueueJob } from "@/lib/jobs/queue";
import { startScan, type ScanServiceDeps } from "./service";

export function scanIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.ROLEGATE_SCAN_INTERVAL_MINUTES;
  const minutes = raw === undefined || raw === "" ? 60 : Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`ROLEGATE_SCAN_INTERVAL_MINUTES must be a positive number of minutes, not "${raw}"`);
  return minutes * 60_000;
}

/**
 * Enqueues the scheduled scan of the current interval slot. Every replica's job
 * runner calls this on its tick; the slot key makes the second enqueue a no-op,
 * so each slot's scan runs once, on whichever replica claims the job.
 */
export async function scheduleInventoryScan(prisma: ScanServiceDeps["prisma"], at: Date = new Date(), intervalMs = scanIntervalMs()): Promise<void> {
  await enqueueJob(prisma, { queue: "scheduled-scan", key: `scheduled-scan:${Math.floor(at.getTime() / intervalMs)}`, payload: {}, maxAttempts: 2 });
}

/** The "scheduled-scan" job: one scan, unless a scan (say a manual one) ran recently or runs now. */
export async function runScheduledScan(deps: ScanServiceDeps, intervalMs = scanIntervalMs(), log: (m: string) => void = console.log): Promise<void> {
  const started = await startScan({ ...deps, minScheduledGapMs: intervalMs * 0.9 }, "scheduled", "system");
  if (started.skipped || started.alreadyRunning) return;
  const status = await started.done;
  log(JSON.stringify({ level: "info", event: "inventory.scan_finished", scanId: started.scanId, status }));
}
