// The latest scan's analysis, computed once per scan id and kept in process:
// every page filters, sorts and pages these rows in memory. The analysis runs
// in slices (analyzeSnapshotAsync) so a large estate, or a trust policy built to
// be slow, never holds up other requests or the apply worker in this process.
import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { analyzeSnapshotAsync, type SnapshotAnalysis } from "../analysis";
import { snapshotOfScan } from "../scan/store";
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

export async function buildInventoryView(scanId: string, scanStatus: string, snapshot: InventorySnapshot, configuredPairs = parseConfiguredPairs(process.env.ROLEGATE_BLUE_GREEN_PAIRS)): Promise<InventoryView> {
  const analysis = await analyzeSnapshotAsync(snapshot);
  await nextTurn();
  const accessRows = buildAccessRows(analysis, snapshot);
  await nextTurn();
  const serviceAccounts = buildServiceAccountRows(snapshot, analysis);
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

const cache = globalThis as unknown as { __rolegateInventoryView?: { scanId: string; view: Promise<InventoryView | null> } };

/** The view of the newest scan that saved a snapshot, or null before the first scan. */
export async function getInventoryView(prisma: PrismaClient): Promise<InventoryView | null> {
  const latest = await prisma.scanSnapshot.findFirst({ orderBy: { scan: { startedAt: "desc" } }, select: { scanId: true, scan: { select: { status: true } } } });
  if (!latest) return null;
  const cached = cache.__rolegateInventoryView;
  if (cached?.scanId === latest.scanId) return cached.view;
  const view = snapshotOfScan(prisma, latest.scanId).then((s) => (s ? buildInventoryView(latest.scanId, latest.scan.status, s) : null));
  cache.__rolegateInventoryView = { scanId: latest.scanId, view };
  view.catch(() => {
    if (cache.__rolegateInventoryView?.view === view) cache.__rolegateInventoryView = undefined;
  });
  return view;
}
