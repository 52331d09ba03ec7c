// Scheduled scans: the interval setting, and two replicas' job runners running one scan per slot.
import { describe, expect, it } from "vitest";
import { runScheduledScan, scanIntervalMs, scheduleInventoryScan } from "@/lib/inventory/scan/schedule";
import { startScan } from "@/lib/inventory/scan/service";
import { JobRunner } from "@/lib/jobs/runner";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

describe("ROLEGATE_SCAN_INTERVAL_MINUTES", () => {
  it("defaults to 60 minutes and rejects nonsense", () => {
    expect(scanIntervalMs({})).toBe(3_600_000);
    expect(scanIntervalMs({ ROLEGATE_SCAN_INTERVAL_MINUTES: "5" })).toBe(300_000);
    expect(() => scanIntervalMs({ ROLEGATE_SCAN_INTERVAL_MINUTES: "-1" })).toThrow(/positive number of minutes/);
    expect(() => scanIntervalMs({ ROLEGATE_SCAN_INTERVAL_MINUTES: "hourly" })).toThrow(/positive number of minutes/);
  });
});

describe("scheduled scans on two replicas", () => {
  // The second test builds on the first one's scan: one world for both.
  const w = useWorld({ sandbox: true, reset: "once", pool: { retryMode: "standard" } });

  it("run one scan per interval slot between them, through the job queue", async () => {
    const deps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) };
    const logs: string[] = [];
    const replica = () =>
      new JobRunner(w.prisma, { "scheduled-scan": () => runScheduledScan(deps, 60_000, { log: (m) => logs.push(m) }) }, {
        pollMs: 50,
        onTick: () => scheduleInventoryScan(w.prisma, new Date(), 60_000),
        log: () => {},
      });
    const runners = [replica(), replica()];
    runners.forEach((r) => r.start());
    for (let i = 0; i < 200 && !logs.some((l) => l.includes("inventory.scan_finished")); i++) await new Promise((r) => setTimeout(r, 100));
    await Promise.all(runners.map((r) => r.stop()));
    const scans = await w.prisma.scan.findMany();
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ trigger: "scheduled", startedBy: "system", status: "succeeded" });
    const jobs = await w.prisma.job.findMany({ where: { queue: "scheduled-scan" } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.status).toBe("done");
  }, 30_000);

  it("a scheduled scan skips when a scan started within the interval", async () => {
    const deps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) };
    const before = await w.prisma.scan.count();
    await runScheduledScan(deps, 60_000, { log: () => {} });
    expect(await w.prisma.scan.count()).toBe(before);
  }, 30_000);

  it("a slot that has a scan gets no second one, however long ago it started (a replica starting later)", async () => {
    const deps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) };
    const [first] = await w.prisma.scan.findMany();
    expect(first!.scheduledFor).toBeInstanceOf(Date);
    // An interval of 1 ms: the recent-scan gap no longer holds it back, only the slot does.
    await runScheduledScan(deps, 1, { log: () => {}, slot: first!.scheduledFor!.toISOString() });
    expect(await w.prisma.scan.count()).toBe(1);
    const started = await startScan(deps, "scheduled", "system", { slot: first!.scheduledFor! });
    expect(started).toMatchObject({ skipped: true, scanId: first!.id });
  }, 30_000);
});
