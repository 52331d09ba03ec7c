// One process of bench:scale (bench/scale.ts), started as a child:
//  - "replica": a job runner with the scan lane on the shared Postgres, as a
//    serving replica has (lib/boot.ts), until its parent says "stop";
//  - "baseline": today's single-process scanner (buildInventorySnapshot, with
//    today's rate limits and today's Describe through the SDK's full stack) on
//    the targets given, once.
// Both report their own client CPU and peak RSS (the sandbox runs elsewhere) as
// one JSON line on stdout.
import { AwsClientPool, EksGateway, EksInventoryGateway, IamGateway, eksKubeAccess } from "../lib/aws/index";
import { parseScanKubeConcurrency } from "../lib/config/load";
import type { Target } from "../lib/config/schema";
import { openPostgres } from "../lib/db/drivers";
import { createPrismaClient } from "../lib/db/prisma-client";
import { buildInventorySnapshot } from "../lib/inventory/scan/build-snapshot";
import { SCAN_CLIENT_SETTINGS, type ScanDeps } from "../lib/inventory/scan/context";
import { SCAN_QUEUES, ScanWorker } from "../lib/inventory/scan/parts";
import { defaultLimiterOptions, type RateLimiterOptions } from "../lib/inventory/scan/rate-limiter";
import { JobRunner } from "../lib/jobs/runner";
import { KubeGateway } from "../lib/kube/index";

interface ReplicaSettings {
  mode: "replica" | "baseline";
  name: string;
  awsEndpoint: string;
  kubeEndpoint: string;
  targets: Target[];
  kube: boolean;
  databaseUrl?: string;
  concurrency?: number;
}

const settings = JSON.parse(process.env.SCALE_REPLICA ?? "{}") as ReplicaSettings;
// Replicas use the runtime's scan settings (lib/runtime.ts); the baseline, today's: the SDK's 50 sockets per client.
const pool = new AwsClientPool({ endpoint: settings.awsEndpoint, retryMode: "standard" }).withSettings(settings.mode === "baseline" ? {} : SCAN_CLIENT_SETTINGS);
const scan: ScanDeps = {
  pool,
  // Today's scanner described each association through the SDK's full middleware stack; replicas take the light path (lib/aws/light-get.ts).
  eks: new EksGateway(pool, { lightDescribe: settings.mode !== "baseline" }),
  eksInventory: new EksInventoryGateway(pool),
  iam: new IamGateway(pool),
  // Today's scanner also read Kubernetes lists through client-node's typed API (its ObjectSerializer); replicas read them as JSON.
  ...(settings.kube
    ? { kube: new KubeGateway(eksKubeAccess(pool, { targets: settings.targets, sandboxKubeEndpoint: settings.kubeEndpoint }), { typedLists: settings.mode === "baseline" }) }
    : {}),
  targets: settings.targets,
  clusterConcurrency: settings.concurrency ?? 64,
  // As a serving replica reads it (lib/config/load.ts).
  kubeConcurrency: parseScanKubeConcurrency(process.env.ROLEGATE_SCAN_KUBE_CONCURRENCY),
};
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const report = (fields: Record<string, unknown>) =>
  process.stdout.write(JSON.stringify({ name: settings.name, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...fields }) + "\n");

// Today's scanner as issue 15 measured it released one Describe per token (burst 2, no batch): the baseline
// keeps those limits, so the comparison includes what batching the releases saves (rate-limiter.ts).
const todaysLimits = (operation: string): RateLimiterOptions =>
  operation.startsWith("Describe") ? { initialRate: 25, minRate: 1, burst: 2 } : defaultLimiterOptions(operation);

if (settings.mode === "baseline") {
  const before = process.cpuUsage();
  const started = performance.now();
  const { snapshot } = await buildInventorySnapshot({ ...scan, limiterOptions: todaysLimits });
  const ms = performance.now() - started;
  const objects =
    snapshot.roles.length + snapshot.oidcProviders.length + snapshot.clusters.reduce((n, c) => n + 1 + c.associations.length + c.serviceAccounts.length + c.pods.length, 0);
  report({ cpuMs: cpuMs(process.cpuUsage(before)), ms, objects, errors: snapshot.errors.length });
  pool.destroy();
  process.exit(0);
}

const db = await openPostgres(settings.databaseUrl!);
const prisma = createPrismaClient(db.adapter);
await prisma.job.count(); // a serving replica's client is warm: its first query is not the scan's
const worker = new ScanWorker({ prisma, scan }, settings.name);
const runner = new JobRunner(prisma, worker.handlers(), {
  pollMs: 200,
  leaseMs: 60_000,
  lanes: [{ queues: SCAN_QUEUES, concurrency: settings.concurrency ?? 64 }],
  reportsHealth: false,
  log: (e) => process.stderr.write(JSON.stringify(e) + "\n"),
});
runner.start();
const before = process.cpuUsage();
process.stdout.write(JSON.stringify({ name: settings.name, ready: true }) + "\n");
process.stdin.on("data", async (d) => {
  if (!String(d).includes("stop")) return;
  await runner.stop();
  report({ cpuMs: cpuMs(process.cpuUsage(before)) });
  await prisma.$disconnect();
  await db.close();
  pool.destroy();
  process.exit(0);
});
