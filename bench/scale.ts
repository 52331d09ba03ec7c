// npm run bench:scale — a scan fanned out over replicas (issue 15). A sandbox
// fleet (default 100 clusters x 1,000 associations in 5 accounts, 25,000 roles,
// 50,000 service accounts, 30 ms per call, 20 Describe/s per cluster) in a
// worker thread; RoleGate as SCALE_REPLICAS processes (bench/scale-replica.ts),
// each a job runner with the scan lane on one fresh Postgres database
// (<DATABASE_URL's database>_scale). Prints the scan time against the throttle
// bound, client CPU per object against today's scanner (buildInventorySnapshot
// in its own process) on the fleet's first account in the same run, peak RSS
// per process and the replicas' shares of the scan's parts. Ends with one JSON
// line built from `sections`: each adds its fields (one line per section).
//
// Small sizes: SCALE_CLUSTERS, SCALE_ASSOCIATIONS, SCALE_ACCOUNTS, SCALE_ROLES,
// SCALE_SERVICE_ACCOUNTS (total), SCALE_REPLICAS, SCALE_CONCURRENCY (parts per
// replica), SCALE_KUBE=0 (no Kubernetes reads), SCALE_BASELINE=0 (skip it),
// SCALE_CPU_PROF=<dir> (a CPU profile of each child process), SCALE_SECTIONS=scan,freshness,incremental
// (the measurements to make; all by default: the JSON line then lacks the others' fields).
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { createInterface } from "node:readline";
import { measureFreshness } from "./freshness";
import { benchIncremental } from "./incremental";
import type { Target } from "../lib/config/schema";
import { openPostgres } from "../lib/db/drivers";
import { createPrismaClient } from "../lib/db/prisma-client";
import { startScan } from "../lib/inventory/scan/service";
import type { FaultSettings } from "../sandbox/context";
import { COMPUTE_NS, REGION } from "../sandbox/seed/constants";
import { freshDatabase } from "./fresh-database";
import { startSandboxThread } from "./sandbox-thread";
import { SCALED_SCANNER_ROLE, scaledAccountIds, type ScaledFleetOptions } from "../sandbox/seed/scaled";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number, not "${process.env[name]}"`);
  return v;
};
const CLUSTERS = num("SCALE_CLUSTERS", 100);
const PER_CLUSTER = num("SCALE_ASSOCIATIONS", 1000);
const ACCOUNTS = Math.max(1, Math.min(num("SCALE_ACCOUNTS", 5), CLUSTERS));
const ROLES = num("SCALE_ROLES", 25_000);
const SERVICE_ACCOUNTS = num("SCALE_SERVICE_ACCOUNTS", 50_000);
const REPLICAS = Math.max(1, num("SCALE_REPLICAS", 2));
// Enough parts at once between the replicas for every cluster and account to run side by side.
const CONCURRENCY = num("SCALE_CONCURRENCY", Math.ceil((CLUSTERS + 2 * ACCOUNTS) / REPLICAS));
const KUBE = process.env.SCALE_KUBE !== "0";
const BASELINE = process.env.SCALE_BASELINE !== "0";
const THROTTLE = 20;
const LATENCY_MS = 30;

const faults: FaultSettings = {
  latencyMs: LATENCY_MS,
  throttle: { DescribePodIdentityAssociation: { ratePerSecond: THROTTLE, scope: "operation+cluster" } },
};

export interface ScaleContext {
  fleet: ScaledFleetOptions;
  sandbox: { awsEndpoint: string; kubeEndpoint: string };
  /** The bench's own database (fresh, migrated). */
  databaseUrl: string;
  targets: Target[];
  /** Fresh throttle buckets (and other faults) between measurements. */
  resetFaults: () => Promise<void>;
}
type Section = (ctx: ScaleContext) => Promise<Record<string, unknown>>;

// --- processes -------------------------------------------------------------------------------

interface ChildReport {
  name: string;
  maxRssMb: number;
  cpuMs: number;
  ms?: number;
  objects?: number;
  errors?: number;
}

function startChild(settings: Record<string, unknown>): { child: ChildProcess; lines: AsyncIterator<string> } {
  // SCALE_CPU_PROF=<dir>: each child writes a V8 CPU profile there (open it in Chrome's DevTools).
  const profile = process.env.SCALE_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.SCALE_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", new URL("./scale-replica.ts", import.meta.url).pathname], {
    env: { ...process.env, SCALE_REPLICA: JSON.stringify(settings) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

/** Each cluster part's steps, ms from its start (the replicas' "inventory.scan_part_done" log lines). */
const clusterPartSteps: Record<string, number>[] = [];

/** "step min/median/max" over the cluster parts, in the order the steps end. */
function partSteps(): string {
  const steps = [...new Set(clusterPartSteps.flatMap((m) => Object.keys(m)))].filter((k) => k !== "account");
  const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  const rows = steps.map((step) => {
    const xs = clusterPartSteps.map((m) => m[step]).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    return { step, xs, median: at(xs, 0.5) };
  });
  return rows
    .sort((a, b) => a.median - b.median)
    .map(({ step, xs }) => `${step} ${(xs[0]! / 1000).toFixed(1)}/${(at(xs, 0.5) / 1000).toFixed(1)}/${(xs.at(-1)! / 1000).toFixed(1)}`)
    .join(", ");
}

/** The median time each account's cluster parts took to read their associations (accounts in the order of their ids). */
function associationsByAccount(): string {
  const accounts = [...new Set(clusterPartSteps.map((m) => m.account!))].sort((a, b) => a - b);
  return accounts
    .map((a) => {
      const xs = clusterPartSteps.filter((m) => m.account === a && m.associations !== undefined).map((m) => m.associations!).sort((x, y) => x - y);
      return `${a} ${(xs[Math.floor(xs.length / 2)]! / 1000).toFixed(1)}`;
    })
    .join(", ");
}

/** The finalize's phases, from the replica that ran it (its "inventory.scan_finished" log line). */
let finalizePhases: Record<string, number> | undefined;

async function nextJson<T>(lines: AsyncIterator<string>, what: string): Promise<T> {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${what}: the process ended without reporting`);
    if (value.includes('"inventory.scan_finished"')) finalizePhases = (JSON.parse(value) as { finalize?: Record<string, number> }).finalize;
    if (value.includes('"inventory.scan_part_done"')) {
      const line = JSON.parse(value) as { part: string; ms: Record<string, number> };
      if (line.part.startsWith("cluster:")) clusterPartSteps.push({ ...line.ms, account: Number(line.part.slice("cluster:".length).split("/")[0]) });
    }
    // The replicas' own log lines are JSON too: a report names its process.
    if (value.startsWith('{"name"')) return JSON.parse(value) as T;
  }
}

// --- the scan section --------------------------------------------------------------------------

/** Today's scanner (one process, whole scan) on the fleet's first account: CPU per object. */
async function baselineCpu(ctx: ScaleContext): Promise<ChildReport> {
  const { lines } = startChild({ mode: "baseline", name: "baseline", ...ctx.sandbox, targets: [ctx.targets[0]], kube: KUBE, concurrency: 32 });
  return nextJson<ChildReport>(lines, "baseline");
}

/** The sandbox's call counts ("service operation status[ injected]" -> n, never trimmed). */
async function callCounts(ctx: ScaleContext): Promise<Record<string, number>> {
  return (await (await fetch(`${ctx.sandbox.awsEndpoint}/_sandbox/calls/counts`)).json()) as Record<string, number>;
}

function describeCalls(before: Record<string, number>, after: Record<string, number>): { total: number; throttled: number } {
  let total = 0;
  let throttled = 0;
  for (const [key, n] of Object.entries(after)) {
    if (!key.startsWith("eks DescribePodIdentityAssociation ")) continue;
    const made = n - (before[key] ?? 0);
    total += made;
    if (key.endsWith(" throttle")) throttled += made;
  }
  return { total, throttled };
}

async function scanSection(ctx: ScaleContext): Promise<Record<string, unknown>> {
  let baselineCpuPerObjectMs: number | null = null;
  if (BASELINE) {
    const base = await baselineCpu(ctx);
    baselineCpuPerObjectMs = base.cpuMs / base.objects!;
    console.log(
      `Today's scanner, first account (${Math.ceil(CLUSTERS / ACCOUNTS)} clusters): ${(base.ms! / 1000).toFixed(1)} s, ${base.objects} objects, ` +
        `client CPU ${(base.cpuMs / 1000).toFixed(1)} s = ${baselineCpuPerObjectMs.toFixed(3)} ms/object, peak RSS ${base.maxRssMb} MB${base.errors ? `, ${base.errors} errors` : ""}`,
    );
    await ctx.resetFaults();
  }

  const replicas = Array.from({ length: REPLICAS }, (_, i) =>
    startChild({ mode: "replica", name: `replica-${i + 1}`, ...ctx.sandbox, targets: ctx.targets, kube: KUBE, databaseUrl: ctx.databaseUrl, concurrency: CONCURRENCY }),
  );
  await Promise.all(replicas.map((r, i) => nextJson(r.lines, `replica-${i + 1}`)));

  const db = await openPostgres(ctx.databaseUrl);
  const prisma = createPrismaClient(db.adapter);
  // Only the Scan row and its parts' jobs are written here: the replicas run every part.
  // done looks at the Scan row every 50 ms: the scan's time is read to within that, not the default 500.
  const deps = { prisma, scan: { targets: ctx.targets } as never, runParts: "queue" as const, donePollMs: 50 };
  await prisma.scan.count(); // warm: the clock measures the scan, not this client's first query
  const callsBefore = await callCounts(ctx);
  const started = performance.now();
  const run = await startScan(deps, "manual", "bench");
  const status = await run.done;
  const scanMs = performance.now() - started;

  const reports = await Promise.all(
    replicas.map(async (r, i) => {
      r.child.stdin!.write("stop\n");
      return nextJson<ChildReport>(r.lines, `replica-${i + 1}`);
    }),
  );
  const describes = describeCalls(callsBefore, await callCounts(ctx));
  const scan = await prisma.scan.findUniqueOrThrow({ where: { id: run.scanId! } });
  const parts = await prisma.scanPart.groupBy({ by: ["worker"], where: { scanId: run.scanId! }, _count: { _all: true } });
  // Where the time went: when the cluster parts started and ended, and when the Scan row was finalized.
  const clusterTimes = await prisma.scanPart.aggregate({
    where: { scanId: run.scanId!, kind: "cluster" },
    _min: { startedAt: true, finishedAt: true },
    _max: { startedAt: true, finishedAt: true },
  });
  const clusterParts = await prisma.scanPart.findMany({ where: { scanId: run.scanId!, kind: "cluster" }, select: { startedAt: true, finishedAt: true } });
  const partSeconds = clusterParts
    .filter((p) => p.startedAt && p.finishedAt)
    .map((p) => (p.finishedAt!.getTime() - p.startedAt!.getTime()) / 1000)
    .sort((a, b) => a - b);
  const since = (d: Date | null | undefined) => (d ? ((d.getTime() - scan.startedAt.getTime()) / 1000).toFixed(1) : "?");
  const partCount = parts.reduce((n, p) => n + p._count._all, 0);
  const replicaShare = Object.fromEntries(parts.map((p) => [p.worker ?? "none", Math.round((p._count._all / partCount) * 1000) / 1000]));
  await prisma.$disconnect();
  await db.close();

  const objects = scan.clusters + scan.associations + scan.roles + scan.serviceAccounts + scan.pods;
  const cpuMs = reports.reduce((n, r) => n + r.cpuMs, 0);
  const cpuPerObjectMs = cpuMs / objects;
  const maxRssMb = Math.max(...reports.map((r) => r.maxRssMb));
  const boundMs = (PER_CLUSTER / THROTTLE) * 1000; // every cluster at once: each needs PER_CLUSTER / THROTTLE seconds
  const boundRatio = scanMs / boundMs;
  const errors = scan.errors as { scope: string; message: string }[];
  console.log(
    `Fanned-out scan (${REPLICAS} replicas x ${CONCURRENCY} parts at once): ${status} in ${(scanMs / 1000).toFixed(1)} s; ` +
      `${scan.clusters} clusters, ${scan.associations} associations, ${scan.roles} roles, ${scan.serviceAccounts} SAs, ${scan.pods} pods` +
      (errors.length ? `; ${errors.length} errors, first: ${errors[0]!.scope}: ${errors[0]!.message}` : ""),
  );
  console.log(`DescribePodIdentityAssociation calls: ${describes.total} for ${scan.associations} associations, ${describes.throttled} of them throttled (each made again under its cluster's slowed limiter)`);
  console.log(`Parts per replica: ${parts.map((p) => `${p.worker} ${p._count._all}`).join(", ")} of ${partCount}`);
  console.log(
    `Timeline (s after the Scan row's start): cluster parts started ${since(clusterTimes._min.startedAt)} to ${since(clusterTimes._max.startedAt)}, ` +
      `finished ${since(clusterTimes._min.finishedAt)} to ${since(clusterTimes._max.finishedAt)} (each took ${partSeconds[0]?.toFixed(1)} to ${partSeconds.at(-1)?.toFixed(1)} s, ` +
      `median ${partSeconds[Math.floor(partSeconds.length / 2)]?.toFixed(1)}); the finalize began saving at ${since(scan.finishedAt)}, committed by ${(scanMs / 1000).toFixed(1)} (the bench's clock)` +
      (finalizePhases ? `; finalize phases (ms): ${Object.entries(finalizePhases).map(([k, v]) => `${k.replace(/Ms$/, "")} ${v}`).join(", ")}` : ""),
  );
  if (clusterPartSteps.length) {
    console.log(`Cluster parts' steps (s from each part's start, min/median/max): ${partSteps()}`);
    console.log(`Associations read by (median s from each part's start), per account: ${associationsByAccount()}`);
  }
  console.log(`Throttle bound: ${(boundMs / 1000).toFixed(1)} s; scan / bound = ${boundRatio.toFixed(2)} (target <= 1.15)  ${boundRatio <= 1.15 ? "OK" : "MISSED"}`);
  console.log(
    `Client CPU: ${(cpuMs / 1000).toFixed(1)} s over the replicas = ${cpuPerObjectMs.toFixed(3)} ms/object` +
      (baselineCpuPerObjectMs === null
        ? ""
        : ` vs today's ${baselineCpuPerObjectMs.toFixed(3)} (ratio ${(cpuPerObjectMs / baselineCpuPerObjectMs).toFixed(2)}, target <= 0.5)  ${cpuPerObjectMs <= baselineCpuPerObjectMs / 2 ? "OK" : "MISSED"}`),
  );
  console.log(`Peak RSS per replica: ${reports.map((r) => `${r.name} ${r.maxRssMb} MB (CPU ${(r.cpuMs / 1000).toFixed(1)} s)`).join(", ")} (target < 1024)  ${maxRssMb < 1024 ? "OK" : "MISSED"}`);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    boundRatio: round(boundRatio),
    cpuPerObjectMs: round(cpuPerObjectMs),
    baselineCpuPerObjectMs: baselineCpuPerObjectMs === null ? null : round(baselineCpuPerObjectMs),
    maxRssMb,
    replicaShare,
  };
}

/** Out-of-band changes on the fleet's first cluster, timed until drift shows them (bench/freshness.ts). */
async function freshnessSection(ctx: ScaleContext): Promise<Record<string, unknown>> {
  const events = (await (await fetch(`${ctx.sandbox.awsEndpoint}/_sandbox/events`)).json()) as { queueUrl: string };
  const db = await openPostgres(ctx.databaseUrl);
  const prisma = createPrismaClient(db.adapter);
  try {
    const [accountId] = scaledAccountIds(ACCOUNTS);
    // Roles 0 and ACCOUNTS * 3 are Pod Identity roles of the first account (buildScaledFleet's layout).
    const role = (i: number) => `arn:aws:iam::${accountId}:role/scale-role-${String(i).padStart(5, "0")}`;
    return { ...(await measureFreshness({
      sandbox: { awsEndpoint: ctx.sandbox.awsEndpoint, eventsQueueUrl: events.queueUrl },
      prisma,
      target: { accountId: accountId!, region: REGION, cluster: "scale-000", namespace: COMPUTE_NS, roleArns: [role(0), role(ACCOUNTS * 3)] },
      changes: num("SCALE_FRESHNESS_CHANGES", 100),
      latencyMs: LATENCY_MS,
    })) };
  } finally {
    await prisma.$disconnect();
    await db.close();
  }
}

const pick = <T extends object, K extends keyof T>(o: T, ...keys: K[]) => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

// One line per measurement; each returns its fields of the last JSON line.
const allSections: Record<string, Section> = {
  scan: scanSection, // boundRatio, cpuPerObjectMs, baselineCpuPerObjectMs, maxRssMb, replicaShare
  freshness: freshnessSection, // freshnessP50Ms, freshnessMaxMs
  incremental: async () =>
    pick(await benchIncremental({ roles: ROLES, serviceAccounts: SERVICE_ACCOUNTS, clusters: CLUSTERS, accounts: ACCOUNTS, findings: false, runs: 5 }), "incrementalMs", "fullRecomputeMs"),
};
const chosen = (process.env.SCALE_SECTIONS ?? Object.keys(allSections).join(",")).split(",").map((s) => s.trim()).filter(Boolean);
const unknownSection = chosen.find((s) => !(s in allSections));
if (unknownSection) throw new Error(`SCALE_SECTIONS: no section "${unknownSection}" (choose from ${Object.keys(allSections).join(", ")})`);
const sections = chosen.map((s) => allSections[s]!);

// --- set-up --------------------------------------------------------------------------------------


const fleet: ScaledFleetOptions = {
  clusters: CLUSTERS,
  associationsPerCluster: PER_CLUSTER,
  roles: ROLES,
  serviceAccounts: Math.round(SERVICE_ACCOUNTS / Math.max(1, CLUSTERS)),
  exactServiceAccounts: true,
  accounts: ACCOUNTS,
};
const accounts = scaledAccountIds(ACCOUNTS);
const targets: Target[] = accounts.map((accountId, k) => ({
  accountId,
  region: REGION,
  clusters: ["*"],
  ...(k > 0 ? { assumeRoleArn: `arn:aws:iam::${accountId}:role/${SCALED_SCANNER_ROLE}` } : {}),
}));

console.log(`Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (wall-clock timings: a busy machine slows every process)`);
console.log(
  `Fleet: ${CLUSTERS} clusters x ${PER_CLUSTER} associations in ${ACCOUNTS} accounts, ${ROLES} roles, ${fleet.serviceAccounts * CLUSTERS} service accounts` +
    `${KUBE ? "" : " (not read: SCALE_KUBE=0)"}; ${LATENCY_MS} ms per call, ${THROTTLE} Describe/s per cluster`,
);
const databaseUrl = await freshDatabase("scale", process.env.SCALE_DATABASE_URL ?? process.env.DATABASE_URL);
const sandbox = await startSandboxThread({ fleet, faults });
const ctx: ScaleContext = {
  fleet,
  sandbox: { awsEndpoint: sandbox.awsEndpoint, kubeEndpoint: sandbox.kubeEndpoint },
  databaseUrl,
  targets,
  resetFaults: async () => {
    await fetch(`${sandbox.awsEndpoint}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(faults), headers: { "content-type": "application/json" } });
  },
};
const result: Record<string, unknown> = {};
try {
  for (const section of sections) Object.assign(result, await section(ctx));
} finally {
  await sandbox.close();
}
console.log(JSON.stringify(result));
process.exit(0);
