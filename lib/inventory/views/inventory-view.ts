// The latest scan's analysis, computed once per scan id and kept in process:
// every page filters, sorts and pages these rows in memory. The analysis runs
// in slices (buildAnalysisIndexAsync, findingsOfAsync) so a large estate, or a
// trust policy built to be slow, never holds up other requests or the apply
// worker in this process. Changes recorded since that scan started
// (InventoryChange, from the change-events consumer) are applied on top as
// deltas to the kept analysis index, so who-can-assume-what follows them between
// scans on every replica: the cache key is (scan id, last change seq applied).
import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { analyzeSnapshotAsync, type SnapshotAnalysis } from "../analysis";
import { analysisOf, applyDelta, buildAnalysisIndexAsync, findingsOfAsync, modelCopy, type AnalysisIndex } from "../analysis/incremental";
import { changesSince, deltasOf } from "../changes";
import { snapshotOfScan } from "../scan/store";
import { outsideRequest } from "@/lib/util/outside-request";
import { placementsByCluster } from "../placement/snapshot";
import type { InventorySnapshot } from "../snapshot-types";
import { buildAccessRows, type AccessRow } from "./access-rows";
import { buildClusterSummaries, pairClusters, parseConfiguredPairs, type ClusterPair, type ClusterSummary } from "./cluster-summaries";
import { buildRoleSummaries, type RoleSummary } from "./role-summaries";
import { buildServiceAccountRows, type ServiceAccountRow } from "./service-accounts";

export interface InventoryView {
  scanId: string;
  scanStatus: string;
  scannedAt: string;
  snapshot: InventorySnapshot;
  analysis: SnapshotAnalysis;
  accessRows: AccessRow[];
  /** Every service account with its roles and where its pods run (nodes, Fargate, Windows). */
  serviceAccounts: ServiceAccountRow[];
  roles: RoleSummary[];
  clusters: ClusterSummary[];
  pairs: ClusterPair[];
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The view's rows from a snapshot and its analysis (computed here when not given). */
export async function buildInventoryView(scanId: string, scanStatus: string, snapshot: InventorySnapshot, configuredPairs = parseConfiguredPairs(process.env.ROLEGATE_BLUE_GREEN_PAIRS), given?: SnapshotAnalysis): Promise<InventoryView> {
  const analysis = given ?? (await analyzeSnapshotAsync(snapshot));
  await nextTurn();
  const placements = placementsByCluster(snapshot);
  await nextTurn();
  const accessRows = buildAccessRows(analysis, snapshot, placements);
  await nextTurn();
  const serviceAccounts = buildServiceAccountRows(snapshot, analysis, placements);
  await nextTurn();
  const roles = buildRoleSummaries(snapshot, analysis);
  await nextTurn();
  const pairs = pairClusters(snapshot.clusters.map((c) => c.name), configuredPairs);
  return {
    scanId,
    scanStatus,
    scannedAt: snapshot.scannedAt,
    snapshot,
    analysis,
    accessRows,
    serviceAccounts,
    roles,
    clusters: buildClusterSummaries(snapshot, analysis, pairs),
    pairs,
  };
}

interface ViewState {
  index: AnalysisIndex;
  view: InventoryView;
}

async function viewOf(scanId: string, scanStatus: string, index: AnalysisIndex): Promise<InventoryView> {
  await findingsOfAsync(index);
  return buildInventoryView(scanId, scanStatus, modelCopy(index.snapshot), undefined, analysisOf(index));
}

/** Applies the changes after `afterSeq` (up to `uptoSeq`) to the index; true when any delta applied. */
async function applyChanges(prisma: PrismaClient, index: AnalysisIndex, since: Date, afterSeq: bigint, uptoSeq: bigint): Promise<boolean> {
  let applied = false;
  for (const { change } of await changesSince(prisma, since, afterSeq, uptoSeq)) {
    for (const d of deltasOf(index.snapshot, change)) {
      applyDelta(index, d);
      applied = true;
    }
  }
  return applied;
}

interface CachedView {
  scanId: string;
  /** The last change seq applied (0: none). */
  seq: bigint;
  state: Promise<ViewState | null>;
}

const cache = globalThis as unknown as { __rolegateInventoryView?: CachedView };

interface Latest {
  scanId: string;
  status: string;
  startedAt: Date;
  seq: bigint | null;
}

/**
 * The view of the newest scan that saved a snapshot, with the changes recorded
 * since it started, or null before the first scan. One query when nothing changed.
 */
export async function getInventoryView(prisma: PrismaClient): Promise<InventoryView | null> {
  const [latest] = await prisma.$queryRaw<Latest[]>`
    SELECT s."scanId", sc."status", sc."startedAt", (SELECT max("seq") FROM "InventoryChange") AS "seq"
    FROM "ScanSnapshot" s JOIN "Scan" sc ON sc."id" = s."scanId"
    ORDER BY sc."startedAt" DESC LIMIT 1`;
  if (!latest) return null;
  const seq = latest.seq ?? 0n;
  const cached = cache.__rolegateInventoryView;
  if (cached?.scanId === latest.scanId && cached.seq >= seq) return cached.state.then((s) => s?.view ?? null);
  // Kept across requests: built outside this request's async context (lib/util/outside-request.ts).
  const state: Promise<ViewState | null> = outsideRequest(() =>
    cached?.scanId === latest.scanId
      ? // Newer changes on the same scan: patch the kept index (after the build or patch in progress).
        cached.state.then(async (prev) => {
          if (!prev) return null;
          const changed = await applyChanges(prisma, prev.index, latest.startedAt, cached.seq, seq);
          return changed ? { index: prev.index, view: await viewOf(latest.scanId, latest.status, prev.index) } : prev;
        })
      : // A new scan (or this process's first view): its snapshot, composed from the scan's segments, plus the changes since it started.
        snapshotOfScan(prisma, latest.scanId).then(async (snapshot) => {
          if (!snapshot) return null;
          const index = await buildAnalysisIndexAsync(snapshot);
          await applyChanges(prisma, index, latest.startedAt, 0n, seq);
          return { index, view: await viewOf(latest.scanId, latest.status, index) };
        }),
  );
  const entry: CachedView = { scanId: latest.scanId, seq, state };
  cache.__rolegateInventoryView = entry;
  state.catch(() => {
    if (cache.__rolegateInventoryView === entry) cache.__rolegateInventoryView = undefined;
  });
  return state.then((s) => s?.view ?? null);
}
