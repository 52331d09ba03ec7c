// Scheduled scans run in the job queue: every ROLEGATE_SCAN_INTERVAL_MINUTES
// (default 60) one "scheduled-scan" job per interval slot. The scan row records
// its slot (Scan.scheduledFor, unique), so the slot's job and the first scan at
// start-up of any replica make one scan per slot. The scan lease still lets one
// scan run at a time, and a scan that started less than 90% of the interval ago
// (a manual one, say) makes the scheduled one skip.
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
  const slot = scanSlot(at, intervalMs);
  await enqueueJob(prisma, { queue: "scheduled-scan", key: `scheduled-scan:${slot.getTime() / intervalMs}`, payload: { slot: slot.toISOString() }, maxAttempts: 2 });
}

/** The start of the interval slot `at` falls in. */
export function scanSlot(at: Date, intervalMs = scanIntervalMs()): Date {
  return new Date(Math.floor(at.getTime() / intervalMs) * intervalMs);
}

/**
 * The "scheduled-scan" job (and the first scan at start-up): one scan for the slot,
 * unless the slot has one, a scan (say a manual one) ran recently or one runs now.
 * Jobs enqueued before slots were recorded carry none: the current slot then.
 */
export async function runScheduledScan(
  deps: ScanServiceDeps,
  intervalMs = scanIntervalMs(),
  { log = console.log, slot: slotOf }: { log?: (m: string) => void; slot?: unknown } = {},
): Promise<void> {
  const given = typeof slotOf === "string" ? new Date(slotOf) : undefined;
  const slot = given && !Number.isNaN(given.getTime()) ? given : scanSlot(deps.now?.() ?? new Date(), intervalMs);
  const started = await startScan({ ...deps, minScheduledGapMs: intervalMs * 0.9 }, "scheduled", "system", { slot });
  if (started.skipped || started.alreadyRunning) return;
  // Fanned out to the replicas' runners: the finalize job logs the end; this job is done once the parts are queued.
  if (deps.runParts === "queue") return log(JSON.stringify({ level: "info", event: "inventory.scan_queued", scanId: started.scanId }));
  const status = await started.done;
  log(JSON.stringify({ level: "info", event: "inventory.scan_finished", scanId: started.scanId, status }));
}
