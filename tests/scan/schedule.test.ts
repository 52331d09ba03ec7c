// Scheduled scans: the interval setting, and two replicas' loops running one scan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsClientPool } from "@/lib/aws";
import { scanIntervalMs, startScheduledScans } from "@/lib/inventory/scan/schedule";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { openTestDatabase, type TestDatabase } from "../helpers/test-db";
import { scanDeps } from "./helpers";

describe("ROLEGATE_SCAN_INTERVAL_MINUTES", () => {
  it("defaults to 60 minutes and rejects nonsense", () => {
    expect(scanIntervalMs({})).toBe(3_600_000);
    expect(scanIntervalMs({ ROLEGATE_SCAN_INTERVAL_MINUTES: "5" })).toBe(300_000);
    expect(() => scanIntervalMs({ ROLEGATE_SCAN_INTERVAL_MINUTES: "-1" })).toThrow(/positive number of minutes/);
    expect(() => scanIntervalMs({ ROLEGATE_SCAN_INTERVAL_MINUTES: "hourly" })).toThrow(/positive number of minutes/);
  });
});

describe("scheduled scans on two replicas", () => {
  let sandbox: RunningSandbox;
  let pool: AwsClientPool;
  let t: TestDatabase;
  beforeAll(async () => {
    sandbox = await startSandbox({ awsPort: 0, kubePort: 0, log: () => {} });
    pool = new AwsClientPool({ endpoint: sandbox.awsEndpoint, maxAttempts: 3, retryMode: "standard" });
    t = await openTestDatabase();
  });
  afterAll(async () => {
    pool.destroy();
    await t.close();
    await sandbox.close();
  });

  it("run one scan per interval between them", async () => {
    const deps = { prisma: t.prisma, scan: scanDeps(sandbox, pool) };
    const logs: string[] = [];
    const stops = [startScheduledScans(deps, 60_000, (m) => logs.push(m)), startScheduledScans(deps, 60_000, (m) => logs.push(m))];
    for (let i = 0; i < 200 && !logs.some((l) => l.includes("inventory.scan_finished")); i++) await new Promise((r) => setTimeout(r, 100));
    stops.forEach((stop) => stop());
    const scans = await t.prisma.scan.findMany();
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ trigger: "scheduled", startedBy: "system", status: "succeeded" });
  }, 30_000);
});
