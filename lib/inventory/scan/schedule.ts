// Scheduled scans: every ROLEGATE_SCAN_INTERVAL_MINUTES (default 60) each
// replica tries to start one; the lease lets one run at a time, and a scan
// that started less than 90% of the interval ago (on any replica) skips it.
import { startScan, type ScanServiceDeps } from "./service";

export function scanIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.ROLEGATE_SCAN_INTERVAL_MINUTES;
  const minutes = raw === undefined || raw === "" ? 60 : Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`ROLEGATE_SCAN_INTERVAL_MINUTES must be a positive number of minutes, not "${raw}"`);
  return minutes * 60_000;
}

/** Starts the loop (first attempt right away); returns a stop function. */
export function startScheduledScans(deps: ScanServiceDeps, intervalMs = scanIntervalMs(), log: (m: string) => void = console.log): () => void {
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      const started = await startScan({ ...deps, minScheduledGapMs: intervalMs * 0.9 }, "scheduled", "system");
      if (started.skipped || started.alreadyRunning) return;
      const status = await started.done;
      log(JSON.stringify({ level: "info", event: "inventory.scan_finished", scanId: started.scanId, status }));
    } catch (e) {
      log(JSON.stringify({ level: "error", event: "inventory.scan_schedule_failed", error: (e as Error).message }));
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref?.();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
