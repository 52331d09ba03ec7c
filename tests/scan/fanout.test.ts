// Scans fanned out as jobs (lib/inventory/scan/parts.ts): two job runners with
// the scan lane, as two replicas have, share one scan's parts through Postgres;
// the last part enqueues one finalize; a runner that dies mid-part loses its
// job lease and the other runs the part again.
import { describe, expect, it } from "vitest";
import { claimJob } from "@/lib/jobs/queue";
import { JobRunner } from "@/lib/jobs/runner";
import { SCAN_QUEUES, ScanWorker } from "@/lib/inventory/scan/parts";
import { startScan, type ScanServiceDeps } from "@/lib/inventory/scan/service";
import { digestCluster } from "@/lib/inventory/scan/cluster-digest";
import { clusterKey, contentHash } from "@/lib/inventory/scan/segments";
import { latestSnapshot } from "@/lib/inventory/scan/store";
import { scanDeps, worldClusters } from "../support/scan";
import { useWorld } from "../support/world";
import { PROD, REGION } from "../support/constants";

const w = useWorld({ sandbox: true, pool: { retryMode: "standard" } });

/** One replica's runner: the scan lane only, `concurrency` parts at once, under a short job lease. */
function replica(deps: ScanServiceDeps, id: string, concurrency = 2, leaseMs = 60_000) {
  const worker = new ScanWorker(deps, id);
  return new JobRunner(w.prisma, worker.handlers(), { pollMs: 50, leaseMs, lanes: [{ queues: SCAN_QUEUES, concurrency }], reportsHealth: false, log: () => {} });
}

describe("a scan fanned out over two replicas' job runners", () => {
  it("spreads its parts over both, finalizes once, runs afterScan once and stores what one process would", async () => {
    let afterScan = 0;
    const deps: ScanServiceDeps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool), runParts: "queue", afterScan: async () => void afterScan++ };
    // Slow enough Describe calls that neither runner can take every part before the other polls.
    w.sandbox.ctx.faults.configure({ latencyByOperation: { DescribeCluster: 300 } });
    const runners = [replica(deps, "replica-a"), replica(deps, "replica-b")];
    runners.forEach((r) => r.start());
    const run = await startScan(deps, "manual", "alice");
    try {
      expect(await run.done).toBe("succeeded");
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
    const parts = await w.prisma.scanPart.findMany({ where: { scanId: run.scanId! } });
    const world = worldClusters(w.sandbox);
    // One account, one wildcard target, one part per cluster the target listed.
    expect(parts.map((p) => p.kind).sort()).toEqual(["account", ...world.map(() => "cluster"), "target"]);
    expect(parts.every((p) => p.status === "done" && p.attempts === 1 && p.result === null)).toBe(true);
    const share = new Map<string, number>();
    for (const p of parts) share.set(p.worker!, (share.get(p.worker!) ?? 0) + 1);
    expect([...share.keys()].sort()).toEqual(["replica-a", "replica-b"]);

    // The listing came first; the account's IAM part, added by it, after the clusters it found (claimed oldest first).
    const jobs = await w.prisma.job.findMany({ where: { queue: "scan-part" }, orderBy: { id: "asc" } });
    expect(jobs.map((j) => (j.payload as { kind: string }).kind)).toEqual(["target", ...world.map(() => "cluster"), "account"]);
    const finalize = await w.prisma.job.findMany({ where: { queue: "scan-finalize" } });
    expect(finalize.map((j) => [j.status, j.attempts])).toEqual([["done", 1]]);
    expect(afterScan).toBe(1);
    const scan = await w.prisma.scan.findUniqueOrThrow({ where: { id: run.scanId! } });
    expect(scan).toMatchObject({ status: "succeeded", clusters: world.length, errors: [], progress: expect.objectContaining({ phase: "done" }) });
    expect((scan.progress as { parts: Record<string, unknown> }).parts.clusters).toEqual({ done: world.length, total: world.length });
    expect(scan.associations).toBe(world.reduce((n, c) => n + Object.keys(c.associations).length, 0));

    // The same scan in one process (inline), after the first: the same snapshot but for the scan's time.
    const fanned = (await latestSnapshot(w.prisma))!.snapshot;
    w.sandbox.ctx.faults.configure({});
    const inline = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "alice");
    expect(await inline.done).toBe("succeeded");
    const single = (await latestSnapshot(w.prisma))!.snapshot;
    expect(single.scannedAt).not.toBe(fanned.scannedAt);
    expect({ ...fanned, scannedAt: "" }).toEqual({ ...single, scannedAt: "" });

    // A cluster's segment is its part's result, kept compressed: named by the sha256 of the cluster's JSON,
    // so the second scan's unchanged clusters point at the first one's blobs.
    const clusterSegments = (scanId: string) => w.prisma.scanSegment.findMany({ where: { scanId, kind: "cluster" }, orderBy: { key: "asc" } });
    const first = await clusterSegments(run.scanId!);
    expect(first).toHaveLength(world.length);
    for (const c of fanned.clusters) expect(first.find((g) => g.key === clusterKey(c))!.contentHash).toBe(contentHash(JSON.stringify(c)));
    expect((await clusterSegments(inline.scanId!)).map((g) => g.contentHash)).toEqual(first.map((g) => g.contentHash));
  }, 60_000);

  it("a finalize reads clusters by their parts' digests; parts finished without one (an earlier version) are read whole, to the same result", async () => {
    const deps: ScanServiceDeps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool), runParts: "queue" };
    const saved = async (scanId: string) => ({
      scan: await w.prisma.scan.findUniqueOrThrow({ where: { id: scanId }, select: { status: true, clusters: true, associations: true, roles: true, serviceAccounts: true, pods: true } }),
      usage: await w.prisma.scanUsage.findMany({ where: { scanId }, orderBy: [{ cluster: "asc" }, { namespace: "asc" }], omit: { scanId: true, id: true } }),
      segments: await w.prisma.scanSegment.findMany({ where: { scanId }, orderBy: { key: "asc" }, select: { key: true, contentHash: true, sizeBytes: true } }),
    });
    /** A scan whose parts two runners run, but whose finalize `finish` runs (the runners leave the finalize queue alone). */
    const scanWith = async (finish: (scanId: string) => Promise<unknown>) => {
      const run = await startScan(deps, "manual", "alice");
      const partsOnly = new JobRunner(w.prisma, new ScanWorker(deps, "parts").handlers(), { pollMs: 50, leaseMs: 60_000, lanes: [{ queues: ["scan-part"], concurrency: 4 }], reportsHealth: false, log: () => {} });
      partsOnly.start();
      try {
        await expect.poll(() => w.prisma.job.count({ where: { queue: "scan-finalize", payload: { path: ["scanId"], equals: run.scanId! } } }), { timeout: 30_000 }).toBe(1);
      } finally {
        await partsOnly.stop();
      }
      await finish(run.scanId!);
      expect(await run.done).toBe("succeeded");
      return run.scanId!;
    };

    const withDigests = await scanWith((id) => new ScanWorker(deps, "finalizer").finalize(id));
    // Each cluster part's digest is the cluster's: its segment's hash, node roles, counts and usage per namespace.
    const snapshot = (await latestSnapshot(w.prisma))!.snapshot;
    const parts = await w.prisma.scanPart.findMany({ where: { scanId: withDigests, kind: "cluster" } });
    expect(parts).toHaveLength(snapshot.clusters.length);
    for (const c of snapshot.clusters) {
      const summary = parts.find((p) => p.key === clusterKey(c))!.summary;
      expect(summary).toEqual(digestCluster(c, JSON.stringify(c)));
      const namespaces = [...new Set([...c.serviceAccounts.map((sa) => sa.namespace), ...c.associations.map((a) => a.namespace)])].sort();
      expect((summary as { usage: { namespace: string }[] }).usage.map((u) => u.namespace)).toEqual(namespaces);
    }
    expect(parts.some((p) => (p.summary as { nodeRoleArns: string[] }).nodeRoleArns.length > 0)).toBe(true);

    // Each cluster part stored its blob and points at it; its result is empty.
    expect(parts.every((p) => p.blobHash === (p.summary as { hash: string }).hash && p.result === null)).toBe(true);

    // Parts as a version without digests left them: the cluster's bytes as the result, no digest, no blob reference.
    const withoutDigests = await scanWith(async (id) => {
      await w.prisma.$executeRawUnsafe(
        `UPDATE "ScanPart" p SET "result" = b."data", "summary" = NULL, "blobHash" = NULL FROM "SegmentBlob" b WHERE b."hash" = p."blobHash" AND p."scanId" = $1::uuid`,
        id,
      );
      expect(await w.prisma.scanPart.count({ where: { scanId: id, kind: "cluster", result: null } })).toBe(0);
      return new ScanWorker(deps, "finalizer").finalize(id);
    });
    expect(await saved(withoutDigests)).toEqual(await saved(withDigests));
    // The usage rows count what the snapshot holds.
    const { usage, scan } = await saved(withDigests);
    const total = (f: "serviceAccounts" | "irsaServiceAccounts" | "podIdentityAssociations") => usage.reduce((n, u) => n + u[f], 0);
    const all = <T>(f: (c: (typeof snapshot.clusters)[number]) => T[]) => snapshot.clusters.flatMap(f);
    expect([total("serviceAccounts"), total("irsaServiceAccounts"), total("podIdentityAssociations")]).toEqual([
      all((c) => c.serviceAccounts).length,
      all((c) => c.serviceAccounts).filter((sa) => sa.annotations["eks.amazonaws.com/role-arn"]).length,
      all((c) => c.associations).length,
    ]);
    expect(total("irsaServiceAccounts")).toBeGreaterThan(0);
    expect(scan).toMatchObject({ clusters: snapshot.clusters.length, associations: all((c) => c.associations).length, pods: all((c) => c.pods).length });
  }, 90_000);

  it("a second finalize of a finished scan saves nothing (compare-and-swap on the scan's status)", async () => {
    const deps: ScanServiceDeps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) };
    const run = await startScan(deps, "manual", "alice");
    expect(await run.done).toBe("succeeded");
    expect(await new ScanWorker(deps, "late-replica").finalize(run.scanId!)).toBeNull();
    expect(await w.prisma.scanSnapshot.count({ where: { scanId: run.scanId! } })).toBe(1);
  });

  it("parts end without the Scan row's lock; a part found done (its replica died before asking) enqueues the finalize when run again", async () => {
    const deps: ScanServiceDeps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool), runParts: "queue" };
    const run = await startScan(deps, "manual", "alice");
    const scanId = run.scanId!;
    const worker = new ScanWorker(deps, "replica-a");
    const [accountId, region] = [PROD, REGION];
    await worker.runPart(scanId, { key: `target:${accountId}/${region}`, kind: "target", accountId, region });
    const [first, ...rest] = worldClusters(w.sandbox).map((c) => ({ key: clusterKey({ accountId, region, name: c.name }), kind: "cluster" as const, accountId, region, cluster: c.name }));
    // Another transaction holds the Scan row's lock meanwhile: the part ends all the same.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const other = w.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT 1 FROM "Scan" WHERE "id" = $1::uuid FOR UPDATE`, scanId);
      locked();
      await held;
    }, { timeout: 60_000 });
    await lockTaken;
    try {
      await worker.runPart(scanId, first!);
      expect(await w.prisma.scanPart.findUniqueOrThrow({ where: { scanId_key: { scanId, key: first!.key } } })).toMatchObject({ status: "done", worker: "replica-a" });
    } finally {
      release();
      await other;
    }
    for (const p of rest) await worker.runPart(scanId, p);
    const finalizeJobs = () => w.prisma.job.findMany({ where: { queue: "scan-finalize", key: `scan-finalize:${scanId}` } });
    expect(await finalizeJobs()).toHaveLength(0); // the account's IAM is left
    const account = { key: `account:${accountId}`, kind: "account" as const, accountId, region: "global" };
    await worker.runPart(scanId, account);
    expect(await finalizeJobs()).toHaveLength(1);
    // As if the last part's replica had died between its commit and asking for the finalize: its job runs the part again.
    await w.prisma.job.deleteMany({ where: { queue: "scan-finalize", key: `scan-finalize:${scanId}` } });
    await worker.runPart(scanId, account);
    expect(await finalizeJobs()).toHaveLength(1);
    await worker.runPart(scanId, first!); // a late re-run of any part asks again: still one job
    expect(await finalizeJobs()).toHaveLength(1);
    expect(await worker.finalize(scanId)).toBe("succeeded");
    expect(await run.done).toBe("succeeded");
  }, 60_000);

  it("a part whose replica died is run again by the other once its job lease expires", async () => {
    const LEASE_MS = 1_500;
    const deps: ScanServiceDeps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool), runParts: "queue" };
    const run = await startScan(deps, "manual", "alice");
    // The dead replica claimed the scan's first part, the target's listing, and never finished it: no renewal, no completion.
    const dead = await claimJob(w.prisma, "dead-replica", LEASE_MS, new Date(), ["scan-part"]);
    expect(dead?.payload).toMatchObject({ scanId: run.scanId, kind: "target" });
    await w.prisma.scanPart.update({ where: { scanId_key: { scanId: run.scanId!, key: String(dead!.payload.key) } }, data: { status: "running", worker: "dead-replica", attempts: 1 } });
    const claimedAt = Date.now();
    const survivor = replica(deps, "replica-b", 4, LEASE_MS);
    survivor.start();
    try {
      expect(await run.done).toBe("succeeded");
    } finally {
      await survivor.stop();
    }
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(LEASE_MS - 100);
    const job = await w.prisma.job.findUniqueOrThrow({ where: { id: dead!.id } });
    expect(job).toMatchObject({ status: "done", attempts: 2 });
    expect(job.lockedBy).not.toBe("dead-replica");
    const part = await w.prisma.scanPart.findUniqueOrThrow({ where: { scanId_key: { scanId: run.scanId!, key: String(dead!.payload.key) } } });
    expect(part).toMatchObject({ status: "done", worker: "replica-b", attempts: 2 });
    const after = (await latestSnapshot(w.prisma))!.snapshot;
    expect(after.roles.length).toBeGreaterThan(0);
    expect(after.clusters).toHaveLength(worldClusters(w.sandbox).length);
  }, 60_000);

  it("an account whose IAM fails ends as that part's error: the scan finishes partial with every cluster", async () => {
    const deps: ScanServiceDeps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool), runParts: "queue" };
    w.sandbox.ctx.faults.configure({ failNext: { ListRoles: 3 } });
    const run = await startScan(deps, "manual", "alice");
    const runner = replica(deps, "replica-a", 4);
    runner.start();
    try {
      expect(await run.done).toBe("partial");
    } finally {
      await runner.stop();
    }
    const scan = await w.prisma.scan.findUniqueOrThrow({ where: { id: run.scanId! } });
    expect(scan.errors).toEqual([expect.objectContaining({ scope: expect.stringMatching(/^account:/), message: expect.stringMatching(/ListRoles/) })]);
    expect(scan).toMatchObject({ clusters: worldClusters(w.sandbox).length, roles: 0 });
  }, 60_000);
});
