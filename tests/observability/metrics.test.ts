// /metrics content: AWS attempts counted per operation and outcome (real SDK
// against the sandbox, throttling injected), gauges read from the real database,
// the route's Prometheus output and the readiness route.
import { ListClustersCommand } from "@aws-sdk/client-eks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AwsClientPool } from "@/lib/aws/clients";
import { buildItemKinds, closeDatabase } from "@/lib/runtime";
import { collectDatabaseMetrics } from "@/lib/scrape/database-metrics";
import { reportRunnerActivity } from "@/lib/observability/health";
import { metrics } from "@/lib/observability/metrics";
import type { RunningSandbox } from "@/sandbox/server";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { PROD, REGION, startTestSandbox } from "../support/aws-world";

vi.mock("server-only", () => ({}));

let t: TestDatabase;
let sandbox: RunningSandbox;
beforeAll(async () => {
  t = await openTestDatabase();
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
  await closeDatabase();
  await t.close();
});

async function value(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = metrics().registry.getSingleMetric(name);
  const data = await metric?.get();
  return data?.values.find((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l))?.value;
}

describe("metrics", () => {
  it("count AWS attempts per operation as ok or throttled, with the error code, and name RoleGate in the User-Agent", async () => {
    const pool = new AwsClientPool({ endpoint: sandbox.awsEndpoint, maxAttempts: 1, retryMode: "standard" });
    const location = { accountId: PROD, region: REGION };
    const before = { ok: (await value("rolegate_aws_calls_total", { operation: "ListClusters", outcome: "ok" })) ?? 0, throttled: (await value("rolegate_aws_calls_total", { operation: "ListClusters", outcome: "throttled" })) ?? 0 };
    sandbox.ctx.faults.configure({ throttle: { ListClusters: { ratePerSecond: 0.001, burst: 1 } } });
    await pool.eksFor(location).send(new ListClustersCommand({}));
    await expect(pool.eksFor(location).send(new ListClustersCommand({}))).rejects.toThrow();
    sandbox.ctx.faults.configure({});
    expect(await value("rolegate_aws_calls_total", { service: "eks", operation: "ListClusters", outcome: "ok" })).toBe(before.ok + 1);
    expect(await value("rolegate_aws_calls_total", { service: "eks", operation: "ListClusters", outcome: "throttled" })).toBe(before.throttled + 1);
    expect(await value("rolegate_aws_errors_total", { service: "eks", operation: "ListClusters" })).toBeGreaterThanOrEqual(1);
    expect(sandbox.ctx.calls.list({ operation: "ListClusters" }).every((c) => /\brolegate\b/.test(c.userAgent ?? ""))).toBe(true);
    pool.destroy();
  });

  it("read queue depth, oldest due job, failed jobs, scans and the audit chain from the database", async () => {
    await t.reset();
    const now = new Date();
    await t.prisma.job.createMany({
      data: [
        { queue: "apply-request", runAt: new Date(now.getTime() - 120_000) },
        { queue: "apply-request", runAt: new Date(now.getTime() - 30_000) },
        { queue: "notify", runAt: new Date(now.getTime() + 600_000) }, // not due yet
        { queue: "notify", status: "failed" },
      ],
    });
    await t.prisma.scan.create({ data: { trigger: "scheduled", startedBy: "system", status: "succeeded", startedAt: new Date(now.getTime() - 3_600_000), finishedAt: new Date(now.getTime() - 3_590_000) } });
    await t.prisma.scan.create({ data: { trigger: "scheduled", startedBy: "system", status: "failed", startedAt: new Date(now.getTime() - 65_000), finishedAt: new Date(now.getTime() - 60_000) } });
    await collectDatabaseMetrics(t.prisma, buildItemKinds(), now, { auditEveryMs: 0 });
    expect(await value("rolegate_job_queue_depth", { queue: "apply-request" })).toBe(2);
    expect(await value("rolegate_job_queue_depth", { queue: "notify" })).toBeUndefined();
    expect(await value("rolegate_job_queue_oldest_age_seconds", { queue: "apply-request" })).toBeCloseTo(120, 0);
    expect(await value("rolegate_jobs_failed", { queue: "notify" })).toBe(1);
    expect(await value("rolegate_scan_last_status", { status: "failed" })).toBe(1);
    expect(await value("rolegate_scan_last_status", { status: "succeeded" })).toBe(0);
    expect(await value("rolegate_scan_last_duration_seconds")).toBeCloseTo(5, 0);
    expect(await value("rolegate_scan_last_success_timestamp_seconds")).toBeCloseTo((now.getTime() - 3_590_000) / 1000, 0);
    expect(await value("rolegate_requests", { status: "pending" })).toBe(0);
    expect(await value("rolegate_pending_request_oldest_age_seconds")).toBe(0);
    expect(await value("rolegate_drift_findings", { kind: "out-of-band" })).toBe(0);
    expect(await value("rolegate_audit_chain_valid")).toBe(1);
  });

  it("/metrics serves Prometheus text (open in sandbox mode without a token) and /readyz follows the job runner", async () => {
    const { GET: scrape } = await import("@/app/metrics/route");
    const res = await scrape(new Request("http://rolegate.test/metrics"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    for (const name of ["rolegate_job_queue_depth", "rolegate_audit_chain_valid", "rolegate_aws_calls_total", "rolegate_process_cpu_seconds_total"]) expect(text).toContain(`# TYPE ${name}`);

    const { GET: ready } = await import("@/app/readyz/route");
    reportRunnerActivity(1000);
    const ok = await ready();
    expect(ok.status).toBe(200);
    reportRunnerActivity(1000, true);
    const stopped = await ready();
    expect(stopped.status).toBe(503);
    expect(JSON.stringify(await stopped.json())).toContain("job-runner");
    const { GET: live } = await import("@/app/livez/route");
    expect(live().status).toBe(200);
  });
});
