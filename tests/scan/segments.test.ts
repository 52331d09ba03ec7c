// The snapshot stored in segments (lib/inventory/scan/segments.ts): one per cluster
// and per account, content-addressed so an unchanged cluster costs no new bytes;
// read back whole or one segment at a time; and scans stored as one document
// before segments existed still read, whole and per cluster or account.
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { buildInventorySnapshot } from "@/lib/inventory/scan/build-snapshot";
import { clusterRefsOfScan, loadAccountSegment, loadClusterSegment } from "@/lib/inventory/scan/segments";
import { startScan, type ScanServiceDeps } from "@/lib/inventory/scan/service";
import { latestSnapshot, saveScanResult, snapshotOfScan } from "@/lib/inventory/scan/store";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { PROD } from "../support/constants";
import { scanDeps, worldClusters } from "../support/scan";
import { useWorld } from "../support/world";

const w = useWorld({ sandbox: true, pool: { retryMode: "standard" } });
let deps: ScanServiceDeps;

beforeAll(() => {
  deps = { prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) };
});

async function scan(): Promise<string> {
  const run = await startScan(deps, "manual", "alice");
  expect(await run.done).toBe("succeeded");
  return run.scanId!;
}

const segmentsOf = (scanId: string) => w.prisma.scanSegment.findMany({ where: { scanId }, orderBy: { key: "asc" } });
const blobBytes = async () => (await w.prisma.segmentBlob.aggregate({ _sum: { sizeBytes: true } }))._sum.sizeBytes ?? 0;

describe("a scan's snapshot in segments", () => {
  it("is a header and one segment per cluster and per account, composed back into the snapshot the scan built", async () => {
    const { snapshot } = await buildInventorySnapshot(deps.scan);
    const { id } = await w.prisma.scan.create({ data: { trigger: "manual", startedBy: "alice" } });
    expect(await saveScanResult(w.prisma, id, snapshot, new Date())).toBe("succeeded");

    const stored = await w.prisma.scanSnapshot.findUniqueOrThrow({ where: { scanId: id } });
    expect(stored.data).toBeNull();
    expect(stored.header).toEqual({ scannedAt: snapshot.scannedAt, accounts: snapshot.accounts, errors: [] });
    const segments = await segmentsOf(id);
    expect(segments.map((s) => s.key)).toEqual([`account:${PROD}`, ...snapshot.clusters.map((c) => `cluster:${c.accountId}/${c.region}/${c.name}`)].sort());
    expect(segments.filter((s) => s.kind === "cluster").map((s) => s.cluster).sort()).toEqual(worldClusters(w.sandbox).map((c) => c.name).sort());
    expect(stored.sizeBytes).toBe(segments.reduce((n, s) => n + s.sizeBytes, 0));

    expect(await snapshotOfScan(w.prisma, id)).toEqual(snapshot);
    const one = snapshot.clusters[1]!;
    expect(await loadClusterSegment(w.prisma, id, one)).toEqual(one);
    expect(await loadClusterSegment(w.prisma, id, { ...one, name: "not-scanned" })).toBeNull();
    expect(await loadAccountSegment(w.prisma, id, PROD)).toEqual({ roles: snapshot.roles, oidcProviders: snapshot.oidcProviders });
    expect(await loadAccountSegment(w.prisma, id, "999999999999")).toBeNull();
    const refs = await clusterRefsOfScan(w.prisma, id);
    expect(refs?.map((r) => r.name).sort()).toEqual(snapshot.clusters.map((c) => c.name).sort());
  });

  it("stores a cluster or account unchanged since an earlier scan once: a scan adds bytes only for what changed", async () => {
    const first = await scan();
    const firstSegments = await segmentsOf(first);
    const afterFirst = await blobBytes();
    expect(afterFirst).toBe(firstSegments.reduce((n, s) => n + s.sizeBytes, 0));

    // Nothing changed: the second scan points at the first one's blobs.
    const second = await scan();
    expect((await segmentsOf(second)).map((s) => [s.key, s.contentHash])).toEqual(firstSegments.map((s) => [s.key, s.contentHash]));
    expect(await blobBytes()).toBe(afterFirst);
    expect(await w.prisma.segmentBlob.count()).toBe(firstSegments.length);

    // One association deleted on one cluster: that cluster's segment alone is new.
    const changed = worldClusters(w.sandbox).find((c) => Object.keys(c.associations).length > 0)!;
    delete changed.associations[Object.keys(changed.associations)[0]!];
    const third = await scan();
    const thirdSegments = await segmentsOf(third);
    const differs = thirdSegments.filter((s, i) => s.contentHash !== firstSegments[i]!.contentHash);
    expect(differs.map((s) => s.cluster)).toEqual([changed.name]);
    expect(await blobBytes()).toBe(afterFirst + differs[0]!.sizeBytes);
    expect((await loadClusterSegment(w.prisma, third, { accountId: PROD, region: differs[0]!.region!, name: changed.name }))!.associations).toHaveLength(Object.keys(changed.associations).length);
    expect((await loadClusterSegment(w.prisma, first, { accountId: PROD, region: differs[0]!.region!, name: changed.name }))!.associations).toHaveLength(Object.keys(changed.associations).length + 1);
  }, 60_000);

  it("reads a scan stored as one document before segments: the latest snapshot, the view, one cluster and one account", async () => {
    const { snapshot } = await buildInventorySnapshot(deps.scan);
    const { id } = await w.prisma.scan.create({ data: { trigger: "scheduled", startedBy: "system", status: "succeeded", finishedAt: new Date() } });
    const data = gzipSync(Buffer.from(JSON.stringify(snapshot), "utf8"));
    // The row as the migration left it: the document, no header, no segments.
    await w.prisma.scanSnapshot.create({ data: { scanId: id, data: new Uint8Array(data), sizeBytes: data.length } });

    expect(await latestSnapshot(w.prisma)).toEqual({ scanId: id, status: "succeeded", snapshot });
    const view = await getInventoryView(w.prisma);
    expect(view?.scanId).toBe(id);
    expect(view?.snapshot.clusters.map((c) => c.name)).toEqual(snapshot.clusters.map((c) => c.name));
    const one = snapshot.clusters[0]!;
    expect(await loadClusterSegment(w.prisma, id, one)).toEqual(one);
    expect(await loadClusterSegment(w.prisma, id, { ...one, name: "not-scanned" })).toBeNull();
    expect(await loadAccountSegment(w.prisma, id, PROD)).toEqual({ roles: snapshot.roles, oidcProviders: snapshot.oidcProviders });
    expect(await clusterRefsOfScan(w.prisma, id)).toBeNull();
  });
});
