// Scans through the service: lease, background run, stored snapshot and history, in the real database.
import { beforeAll, describe, expect, it } from "vitest";
import { INVENTORY_SCOPE, startScan, type ScanServiceDeps } from "@/lib/inventory/scan/service";
import { latestSnapshot, snapshotOfScan } from "@/lib/inventory/scan/store";
import { scanDeps, worldClusters } from "../support/scan";
import { useWorld } from "../support/world";

const w = useWorld({ sandbox: true, pool: { retryMode: "standard" } });
let deps: ScanServiceDeps;

beforeAll(() => {
  deps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) };
});

describe("startScan", () => {
  it("runs in the background and stores the snapshot, counts, usage and final progress", async () => {
    const run = await startScan(deps, "manual", "alice");
    expect(run.alreadyRunning).toBe(false);
    expect(await run.done).toBe("succeeded");
    const scan = await w.prisma.scan.findUniqueOrThrow({ where: { id: run.scanId! } });
    const world = worldClusters(w.sandbox);
    expect(scan).toMatchObject({ status: "succeeded", trigger: "manual", startedBy: "alice", clusters: world.length, errors: [] });
    expect(scan.associations).toBe(world.reduce((n, c) => n + Object.keys(c.associations).length, 0));
    expect(scan.finishedAt).not.toBeNull();
    expect(scan.progress).toMatchObject({ phase: "done" });
    const latest = await latestSnapshot(w.prisma);
    expect(latest?.scanId).toBe(run.scanId);
    expect(latest!.snapshot.clusters.map((c) => c.name).sort()).toEqual(world.map((c) => c.name).sort());
    // Usage: IRSA-annotated SAs and associations per cluster and namespace, as in the world.
    const usage = await w.prisma.scanUsage.findMany({ where: { scanId: run.scanId! } });
    for (const c of world) {
      const ns = "domino-compute";
      const row = usage.find((u) => u.cluster === c.name && u.namespace === ns)!;
      const sas = Object.values(c.kube.serviceAccounts).filter((s) => s.namespace === ns);
      expect(row.irsaServiceAccounts).toBe(sas.filter((s) => s.annotations["eks.amazonaws.com/role-arn"]).length);
      expect(row.podIdentityAssociations).toBe(Object.values(c.associations).filter((a) => a.namespace === ns).length);
    }
    // The lease is free again.
    const lease = await w.prisma.scanLease.findUniqueOrThrow({ where: { scope: INVENTORY_SCOPE } });
    expect(lease.holder).toBeNull();
  });

  it("marks the scan partial when one cluster fails, keeping the others", async () => {
    w.sandbox.ctx.faults.configure({ failNext: { ListPodIdentityAssociations: 3 } });
    const run = await startScan({ ...deps, scan: { ...deps.scan, clusterConcurrency: 1 } }, "manual", "alice");
    expect(await run.done).toBe("partial");
    const scan = await w.prisma.scan.findUniqueOrThrow({ where: { id: run.scanId! } });
    expect(scan.errors).toEqual([expect.objectContaining({ scope: expect.stringMatching(/^cluster:/), message: expect.stringMatching(/ListPodIdentityAssociations/) })]);
    const snapshot = await snapshotOfScan(w.prisma, run.scanId!);
    expect(snapshot!.clusters).toHaveLength(worldClusters(w.sandbox).length - 1);
    expect(snapshot!.clusters.every((c) => c.associations.length > 0)).toBe(true);
  });

  it("runs one scan when two start together (two replicas, double clicks)", async () => {
    const runs = await Promise.all([startScan(deps, "manual", "alice"), startScan(deps, "manual", "bob"), startScan(deps, "scheduled", "system")]);
    expect(runs.filter((r) => !r.alreadyRunning)).toHaveLength(1);
    expect(new Set(runs.map((r) => r.scanId)).size).toBe(1);
    await Promise.all(runs.map((r) => r.done));
    expect(await w.prisma.scan.count()).toBe(1);
  });

  it("keeps the history of scans; the latest snapshot is the newest scan's", async () => {
    const first = await startScan(deps, "manual", "alice");
    await first.done;
    const second = await startScan(deps, "scheduled", "system");
    expect(second.scanId).not.toBe(first.scanId);
    await second.done;
    expect(await w.prisma.scan.count()).toBe(2);
    expect(await w.prisma.scanSnapshot.count()).toBe(2);
    expect(await w.prisma.scanUsage.count({ where: { scanId: first.scanId! } })).toBeGreaterThan(0);
    expect((await latestSnapshot(w.prisma))?.scanId).toBe(second.scanId);
  });

  it("skips a scheduled scan when another replica scanned recently", async () => {
    await (await startScan(deps, "manual", "alice")).done;
    const scheduled = await startScan({ ...deps, minScheduledGapMs: 60_000 }, "scheduled", "system");
    expect(scheduled.skipped).toBe(true);
    expect(await w.prisma.scan.count()).toBe(1);
  });

  it("takes over from a replica that died mid-scan once its lease expires", async () => {
    const dead = await w.prisma.scan.create({ data: { trigger: "scheduled", startedBy: "system" } });
    await w.prisma.scanLease.create({ data: { scope: INVENTORY_SCOPE, holder: "dead-replica", scanId: dead.id, expiresAt: new Date(Date.now() + 60_000) } });
    const blocked = await startScan(deps, "manual", "alice");
    expect(blocked).toMatchObject({ alreadyRunning: true, scanId: dead.id });
    await w.prisma.scanLease.update({ where: { scope: INVENTORY_SCOPE }, data: { expiresAt: new Date(Date.now() - 1) } });
    const run = await startScan(deps, "manual", "alice");
    expect(run.alreadyRunning).toBe(false);
    expect(await run.done).toBe("succeeded");
    expect((await w.prisma.scan.findUniqueOrThrow({ where: { id: dead.id } })).status).toBe("failed");
  });
});
