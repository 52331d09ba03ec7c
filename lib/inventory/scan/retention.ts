// Scan history retention: scans that started more than ROLEGATE_SCAN_RETENTION_DAYS
// ago are deleted, except the ROLEGATE_SCAN_RETENTION_MIN newest (whatever their
// age), the newest succeeded scan, the newest scan with a snapshot (the one the
// pages show) and a running scan. Deleting a scan cascades to its snapshot,
// segments, usage rows and parts; the segment blobs no scan points at any more are
// deleted in the same transaction (a blob another scan shares stays). Nothing else
// refers to a scan: requests, drift, reviews and templates read the latest
// snapshot or the association cache, and the usage chart shows the scans kept.
import type { ScanRetention } from "@/lib/config/schema";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";

/** Scans deleted per transaction: a first run on a long history works through it in steps. */
const SCANS_PER_BATCH = 100;

type Tx = Prisma.TransactionClient;

export interface PruneOutcome {
  scans: number;
  blobs: number;
  blobBytes: number;
}

/** The scans kept whatever their age. */
async function keptScanIds(tx: Tx, minScans: number): Promise<string[]> {
  const [newest, succeeded, shown] = await Promise.all([
    tx.scan.findMany({ orderBy: { startedAt: "desc" }, take: minScans, select: { id: true } }),
    tx.scan.findFirst({ where: { status: "succeeded" }, orderBy: { startedAt: "desc" }, select: { id: true } }),
    tx.scanSnapshot.findFirst({ orderBy: { scan: { startedAt: "desc" } }, select: { scanId: true } }),
  ]);
  return [...newest.map((s) => s.id), ...(succeeded ? [succeeded.id] : []), ...(shown ? [shown.scanId] : [])];
}

/** One batch: the oldest prunable scans and the blobs only they used; null when none is left. */
async function pruneBatch(tx: Tx, settings: ScanRetention, cutoff: Date): Promise<PruneOutcome | null> {
  const keep = await keptScanIds(tx, settings.minScans);
  const doomed = await tx.scan.findMany({
    where: { startedAt: { lt: cutoff }, status: { not: "running" }, id: { notIn: keep } },
    orderBy: { startedAt: "asc" },
    take: SCANS_PER_BATCH,
    select: { id: true },
  });
  if (!doomed.length) return null;
  const ids = doomed.map((s) => s.id);
  const segmentHashes = await tx.scanSegment.findMany({ where: { scanId: { in: ids } }, distinct: ["contentHash"], select: { contentHash: true } });
  // A cluster part stores its blob before any segment points at it: a scan that failed before saving leaves only its parts'.
  const partHashes = await tx.scanPart.findMany({ where: { scanId: { in: ids }, blobHash: { not: null } }, distinct: ["blobHash"], select: { blobHash: true } });
  const hashes = [...new Set([...segmentHashes.map((h) => h.contentHash), ...partHashes.map((h) => h.blobHash!)])];
  // Another replica's run may have deleted some of them meanwhile: count what this one did.
  const { count } = await tx.scan.deleteMany({ where: { id: { in: ids }, status: { not: "running" } } });
  // SKIP LOCKED: a blob a scan being saved now reuses is locked by it (segments.ts) and stays.
  const freed = await tx.$queryRawUnsafe<{ sizeBytes: number }[]>(
    `DELETE FROM "SegmentBlob" WHERE "hash" IN (
       SELECT b."hash" FROM "SegmentBlob" b
       WHERE b."hash" IN (SELECT jsonb_array_elements_text($1::jsonb))
         AND NOT EXISTS (SELECT 1 FROM "ScanSegment" s WHERE s."contentHash" = b."hash")
         AND NOT EXISTS (SELECT 1 FROM "ScanPart" p WHERE p."blobHash" = b."hash")
       FOR UPDATE SKIP LOCKED)
     RETURNING "sizeBytes"`,
    JSON.stringify(hashes),
  );
  return { scans: count, blobs: freed.length, blobBytes: freed.reduce((n, b) => n + b.sizeBytes, 0) };
}

/** Deletes the scans past retention (see the header); idempotent, so replicas running it at once delete each scan once. */
export async function pruneScanHistory(prisma: PrismaClient, settings: ScanRetention, now: Date = new Date()): Promise<PruneOutcome> {
  const cutoff = new Date(now.getTime() - settings.days * 86_400_000);
  const total: PruneOutcome = { scans: 0, blobs: 0, blobBytes: 0 };
  for (;;) {
    const batch = await prisma.$transaction((tx) => pruneBatch(tx, settings, cutoff), { timeout: 60_000 });
    if (!batch) return total;
    total.scans += batch.scans;
    total.blobs += batch.blobs;
    total.blobBytes += batch.blobBytes;
    if (batch.scans < SCANS_PER_BATCH) return total;
  }
}
