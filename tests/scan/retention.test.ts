// Scan history retention (lib/inventory/scan/retention.ts, the hourly job of
// lib/workers/scan-retention.ts): old scans go, the MIN newest stay whatever their
// age, and so do the newest succeeded scan, the scan the pages show and a running
// scan; a deleted scan's segment blobs go unless a kept scan shares them.
import { describe, expect, it } from "vitest";
import { pruneScanHistory } from "@/lib/inventory/scan/retention";
import { saveScanResult, snapshotOfScan } from "@/lib/inventory/scan/store";
import { arnOrder, clusterOrder } from "@/lib/inventory/snapshot-order";
import type { InventorySnapshot, SnapshotCluster } from "@/lib/inventory/snapshot-types";
import { scheduleScanRetention } from "@/lib/workers/scan-retention";
import { demoSnapshot } from "../support/analysis";
import { useWorld } from "../support/world";

const w = useWorld({});
const NOW = new Date("2026-12-01T12:00:00Z");
const DAY = 86_400_000;
// In the scan's order (a stored snapshot reads back in it).
const demo = ((s) => ({ ...s, clusters: s.clusters.sort(clusterOrder), roles: s.roles.sort(arnOrder), oidcProviders: s.oidcProviders.sort(arnOrder) }))(demoSnapshot());
const [clusterA, clusterB] = demo.clusters as [SnapshotCluster, SnapshotCluster];
/** clusterB with one association fewer: another content. */
const clusterB2: SnapshotCluster = { ...clusterB, associations: clusterB.associations.slice(1) };

function snapshotOf(clusters: SnapshotCluster[], errors: InventorySnapshot["errors"] = []): InventorySnapshot {
  return { ...demo, clusters, errors };
}

type Outcome = "succeeded" | "partial" | "failed" | "running";

/** A scan that started `daysAgo`, saved through saveScanResult (segments, usage) unless failed or running. */
async function scanAt(daysAgo: number, outcome: Outcome = "succeeded", clusters: SnapshotCluster[] = [clusterA, clusterB]): Promise<string> {
  const startedAt = new Date(NOW.getTime() - daysAgo * DAY);
  const { id } = await w.prisma.scan.create({ data: { trigger: "scheduled", startedBy: "system", startedAt } });
  if (outcome === "failed") await w.prisma.scan.update({ where: { id }, data: { status: "failed", finishedAt: startedAt } });
  if (outcome === "succeeded" || outcome === "partial") {
    const errors = outcome === "partial" ? [{ scope: "cluster:111122223333/us-east-1/gone", message: "AccessDenied" }] : [];
    expect(await saveScanResult(w.prisma, id, snapshotOf(clusters, errors), startedAt)).toBe(outcome);
  }
  return id;
}

const remaining = async () => (await w.prisma.scan.findMany({ orderBy: { startedAt: "asc" }, select: { id: true } })).map((s) => s.id);

describe("scan history retention", () => {
  it("deletes the scans older than the retention, but keeps the MIN newest whatever their age", async () => {
    const ids: string[] = [];
    for (let age = 51; age >= 40; age--) ids.push(await scanAt(age));
    const pruned = await pruneScanHistory(w.prisma, { days: 30, minScans: 10 }, NOW);
    expect(pruned.scans).toBe(2);
    expect(await remaining()).toEqual(ids.slice(2));
    // Its snapshot, segments and usage went with it.
    expect(await w.prisma.scanSnapshot.count({ where: { scanId: { in: ids.slice(0, 2) } } })).toBe(0);
    expect(await w.prisma.scanSegment.count({ where: { scanId: { in: ids.slice(0, 2) } } })).toBe(0);
    expect(await w.prisma.scanUsage.count({ where: { scanId: { in: ids.slice(0, 2) } } })).toBe(0);
    // A second run (another replica, the next hour) finds nothing more to do.
    expect(await pruneScanHistory(w.prisma, { days: 30, minScans: 10 }, NOW)).toEqual({ scans: 0, blobs: 0, blobBytes: 0 });
  });

  it("keeps every scan younger than the retention, however many", async () => {
    const old = [await scanAt(44, "failed"), await scanAt(43), await scanAt(41, "partial")];
    const recent: string[] = [];
    for (let age = 29; age >= 0; age -= 3) recent.push(await scanAt(age));
    expect((await pruneScanHistory(w.prisma, { days: 30, minScans: 1 }, NOW)).scans).toBe(old.length);
    expect(await remaining()).toEqual(recent);
  });

  it("never deletes the newest succeeded scan, the scan whose snapshot the pages show, nor a running scan", async () => {
    const succeeded = await scanAt(60, "succeeded");
    await scanAt(55, "failed");
    const shown = await scanAt(50, "partial");
    await scanAt(45, "failed");
    const running = await scanAt(40, "running");
    expect((await pruneScanHistory(w.prisma, { days: 30, minScans: 1 }, NOW)).scans).toBe(2);
    expect(await remaining()).toEqual([succeeded, shown, running]);
    expect((await snapshotOfScan(w.prisma, succeeded))?.clusters).toHaveLength(2);
  });

  it("frees the blobs only deleted scans used; a blob a kept scan shares stays", async () => {
    const old = await scanAt(45, "succeeded", [clusterA, clusterB]);
    const kept = await scanAt(1, "succeeded", [clusterA, clusterB2]);
    const segments = await w.prisma.scanSegment.findMany({ where: { scanId: old } });
    const onlyOld = segments.find((s) => s.cluster === clusterB.name)!;
    const shared = segments.find((s) => s.cluster === clusterA.name)!;
    const accounts = segments.filter((s) => s.kind === "account").length;
    expect(accounts).toBe(2);
    expect(await w.prisma.segmentBlob.count()).toBe(3 + accounts); // A, B, B2, and each account's IAM (shared)

    const pruned = await pruneScanHistory(w.prisma, { days: 30, minScans: 1 }, NOW);
    expect(pruned).toEqual({ scans: 1, blobs: 1, blobBytes: onlyOld.sizeBytes });
    const blobs = (await w.prisma.segmentBlob.findMany({ select: { hash: true } })).map((b) => b.hash);
    expect(blobs).not.toContain(onlyOld.contentHash);
    expect(blobs).toContain(shared.contentHash);
    expect(await snapshotOfScan(w.prisma, kept)).toEqual(snapshotOf([clusterA, clusterB2]));
  });

  it("leaves a blob a running scan's part stored and points at, and frees one a failed scan's part left", async () => {
    const old = await scanAt(45, "succeeded", [clusterA, clusterB]);
    const kept = await scanAt(1, "succeeded", [clusterB2]);
    const segments = await w.prisma.scanSegment.findMany({ where: { scanId: old } });
    const hashOf = (name: string) => segments.find((s) => s.cluster === name)!.contentHash;
    // A running scan's part found clusterB's blob stored already (by the old scan) and points at it.
    const running = await scanAt(0, "running");
    await w.prisma.scanPart.create({ data: { scanId: running, key: "cluster:b", kind: "cluster", status: "done", blobHash: hashOf(clusterB.name) } });
    // A failed scan's part stored a blob no segment points at.
    const failed = await scanAt(44, "failed");
    const orphan = { hash: "f".repeat(64), data: new Uint8Array([1, 2, 3]), sizeBytes: 3 };
    await w.prisma.segmentBlob.create({ data: orphan });
    await w.prisma.scanPart.create({ data: { scanId: failed, key: "cluster:x", kind: "cluster", status: "done", blobHash: orphan.hash } });

    const pruned = await pruneScanHistory(w.prisma, { days: 30, minScans: 1 }, NOW);
    expect(await remaining()).toEqual([kept, running]);
    // clusterA's blob went with the old scan, and the failed scan's orphan with it; clusterB's stays for the running scan.
    const blobs = (await w.prisma.segmentBlob.findMany({ select: { hash: true } })).map((b) => b.hash);
    expect(blobs).toContain(hashOf(clusterB.name));
    expect(blobs).not.toContain(hashOf(clusterA.name));
    expect(blobs).not.toContain(orphan.hash);
    expect(pruned).toMatchObject({ scans: 2, blobs: 2 });
  });

  it("stores an unchanged cluster once across two scans: the second scan adds only the changed cluster's bytes", async () => {
    const first = await scanAt(2, "succeeded", [clusterA, clusterB]);
    const bytes = async () => (await w.prisma.segmentBlob.aggregate({ _sum: { sizeBytes: true } }))._sum.sizeBytes ?? 0;
    const afterFirst = await bytes();
    await scanAt(1, "succeeded", [clusterA, clusterB2]);
    const b = await w.prisma.scanSegment.findFirstOrThrow({ where: { scanId: first, cluster: clusterB.name } });
    const b2 = await w.prisma.scanSegment.findFirstOrThrow({ where: { scanId: { not: first }, cluster: clusterB2.name } });
    expect(await bytes()).toBe(afterFirst + b2.sizeBytes);
    // Without the dedup the two scans would hold every segment twice over.
    const referenced = (await w.prisma.scanSegment.aggregate({ _sum: { sizeBytes: true } }))._sum.sizeBytes;
    expect(referenced).toBe(2 * afterFirst - b.sizeBytes + b2.sizeBytes);
  });

  it("two prunes at once (two replicas) delete each scan once, and every replica's tick enqueues one job per hour", async () => {
    for (let age = 50; age >= 40; age--) await scanAt(age);
    const runs = await Promise.all([pruneScanHistory(w.prisma, { days: 30, minScans: 3 }, NOW), pruneScanHistory(w.prisma, { days: 30, minScans: 3 }, NOW)]);
    expect(runs[0]!.scans + runs[1]!.scans).toBe(8);
    expect(await w.prisma.scan.count()).toBe(3);

    await Promise.all([scheduleScanRetention(w.prisma, NOW), scheduleScanRetention(w.prisma, new Date(NOW.getTime() + 60_000))]);
    expect(await w.prisma.job.count({ where: { queue: "scan-retention" } })).toBe(1);
    await scheduleScanRetention(w.prisma, new Date(NOW.getTime() + 3_600_000));
    expect(await w.prisma.job.count({ where: { queue: "scan-retention" } })).toBe(2);
  });
});
