// What a serving process does once its runtime is up (scripts/start.ts): seed the
// demo users (sandbox), ensure the system user, read the clusters' mappings,
// schedule inventory scans (the first one before serving, in sandbox mode) and
// start the job runner (apply, notifications, expiry sweep, scheduled scans,
// the scan-history prune, signed audit checkpoints) and the change-events consumer (lib/freshness).
import type { AuditKey } from "@/lib/audit/key";
import { authUpkeep } from "@/lib/workers/auth-upkeep";
import { scheduleAuditCheckpoint, takeAuditCheckpoint } from "@/lib/workers/audit-checkpoints";
import { runScanRetention, scheduleScanRetention } from "@/lib/workers/scan-retention";
import type { PrismaClient } from "@/lib/db/generated/client";
import { seedDemoUsers } from "@/lib/auth/seed-demo-users";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { runScheduledScan, scanIntervalMs, scanSlot, scheduleInventoryScan } from "@/lib/inventory/scan/schedule";
import { startScan } from "@/lib/inventory/scan/service";
import { SCAN_QUEUES, ScanWorker } from "@/lib/inventory/scan/parts";
import { DEFAULT_SCAN_CONCURRENCY, DEFAULT_SCAN_RETENTION } from "@/lib/config/load";
import { ensureSystemUser } from "@/lib/requests";
import type { Runtime } from "@/lib/runtime";

export async function boot(rt: Runtime, prisma: PrismaClient, options: { auditKey: AuditKey; log?: (line: string) => void }): Promise<void> {
  const log = options.log ?? console.log;
  const { config } = rt;
  // Before anything runs: names ROLEGATE_SCAN_INTERVAL_MINUTES when it is invalid.
  const scanEveryMs = scanIntervalMs();
  if (config.mode === "sandbox") await seedDemoUsers(prisma);

  // The disabled "rolegate-system" user that files revocations of time-bound mappings.
  await ensureSystemUser(prisma);

  // Read the clusters once at start-up so /mappings is never empty on first visit.
  const refresh = await startMappingRefresh(rt.refreshDeps(prisma), "system");
  const initial = refresh.done.then((outcomes) => {
    const failed = outcomes.filter((o) => o.error);
    for (const f of failed) console.error(`Mappings refresh of ${f.accountId}/${f.region}/${f.cluster} failed: ${f.error}`);
    if (refresh.alreadyRunning) return log("Mappings: another replica is reading them now");
    log(`Mappings: ${outcomes.reduce((n, o) => n + (o.associations ?? 0), 0)} associations read from ${outcomes.length} cluster(s)`);
  });
  if (config.mode === "sandbox") await initial; // the sandbox answers at once

  // Inventory scans every ROLEGATE_SCAN_INTERVAL_MINUTES as "scheduled-scan" jobs of the job runner below.
  const scanDeps = rt.scanServiceDeps(prisma);
  if (config.mode === "sandbox") {
    // The sandbox answers at once: finish the first scan before serving, so the inventory pages are never empty.
    // It is the current slot's scheduled scan: a second replica starting in the same slot makes none.
    const first = await startScan(scanDeps, "scheduled", "system", { slot: scanSlot(new Date(), scanEveryMs) });
    log(`Inventory: initial scan ${(await first.done) ?? (first.alreadyRunning ? "already running" : "skipped")}`);
  }

  // Apply approved requests (every item kind of rt.kinds) and send notifications in this process (lib/jobs).
  // Signed checkpoints of the audit chain's head every ROLEGATE_AUDIT_CHECKPOINT_MINUTES (lib/workers/audit-checkpoints.ts).
  // Hourly, scans past ROLEGATE_SCAN_RETENTION_DAYS / _MIN are deleted (lib/workers/scan-retention.ts).
  // The tick enqueues the periodic jobs of the current slot: at least twice per scan interval, so no slot is missed.
  // A replica that dies keeps its job for ROLEGATE_JOB_LEASE_SECONDS before another claims it.
  // Scan parts (a cluster, an account's IAM) and finalizations run in a lane, ROLEGATE_SCAN_CONCURRENCY at once, on every replica.
  const lanes = [{ queues: SCAN_QUEUES, concurrency: config.jobs?.scanConcurrency ?? DEFAULT_SCAN_CONCURRENCY }];
  rt.jobRunner(prisma, { leaseMs: config.jobs?.leaseMs, tickEveryMs: Math.min(60_000, scanEveryMs / 2), lanes }, {
    handlers: {
      ...new ScanWorker(scanDeps).handlers(),
      // Once the runner runs, a scan's parts go to the queue (rt.scanServiceDeps: runParts "queue").
      "scheduled-scan": (job) => runScheduledScan(rt.scanServiceDeps(prisma), scanEveryMs, { slot: job.payload.slot }),
      "audit-checkpoint": async () => void (await takeAuditCheckpoint({ prisma, key: options.auditKey, file: config.audit.checkpointFile })),
      "scan-retention": async () => void (await runScanRetention(prisma, config.scanRetention ?? DEFAULT_SCAN_RETENTION)),
    },
    onTick: async (at) => {
      await scheduleInventoryScan(prisma, at, scanEveryMs);
      await scheduleAuditCheckpoint(prisma, config.audit.checkpointEveryMinutes, at);
      await scheduleScanRetention(prisma, at);
      // Token uses noted in memory by authentication, expired sessions (GETs write nothing).
      await authUpkeep(prisma, at);
    },
  }).start();

  // Changes made anywhere reach the cache and /drift within seconds (lib/freshness): CloudTrail -> EventBridge -> SQS.
  const events = rt.changeEvents(prisma);
  if (events) {
    events.start();
    log(`Change events: consuming ${config.events!.queueUrl}`);
  }
}
