// Scan rows and usage history for the overview and /usage.
import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";

interface ScanSummary {
  id: string;
  status: string;
  trigger: string;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
  errors: { scope: string; message: string }[];
}

export async function recentScans(prisma: PrismaClient, take = 10): Promise<ScanSummary[]> {
  const rows = await prisma.scan.findMany({ orderBy: { startedAt: "desc" }, take, select: { id: true, status: true, trigger: true, startedBy: true, startedAt: true, finishedAt: true, errors: true } });
  return rows.map((r) => ({ ...r, errors: Array.isArray(r.errors) ? (r.errors as { scope: string; message: string }[]) : [] }));
}

export interface UsageBar {
  cluster: string;
  namespace: string;
  irsa: number;
  podIdentity: number;
  serviceAccounts: number;
}

interface UsageTrendPoint {
  scanId: string;
  at: Date;
  irsa: number;
  podIdentity: number;
}

/** Usage of the newest scan with usage rows, per cluster and namespace, and totals per scan (oldest first). */
export async function usageHistory(prisma: PrismaClient, scans = 30): Promise<{ latest: UsageBar[]; trend: UsageTrendPoint[]; scanId: string | null }> {
  const withUsage = await prisma.scan.findMany({ where: { usage: { some: {} } }, orderBy: { startedAt: "desc" }, take: scans, select: { id: true, startedAt: true } });
  if (withUsage.length === 0) return { latest: [], trend: [], scanId: null };
  const sums = await prisma.scanUsage.groupBy({ by: ["scanId"], where: { scanId: { in: withUsage.map((s) => s.id) } }, _sum: { irsaServiceAccounts: true, podIdentityAssociations: true } });
  const byScan = new Map(sums.map((s) => [s.scanId, s._sum]));
  const newest = withUsage[0]!;
  const trend = withUsage
    .map((s) => ({ scanId: s.id, at: s.startedAt, irsa: byScan.get(s.id)?.irsaServiceAccounts ?? 0, podIdentity: byScan.get(s.id)?.podIdentityAssociations ?? 0 }))
    .reverse();
  const rows = await prisma.scanUsage.findMany({ where: { scanId: newest.id }, orderBy: [{ cluster: "asc" }, { namespace: "asc" }] });
  const latest = rows.map((r) => ({ cluster: r.cluster, namespace: r.namespace, irsa: r.irsaServiceAccounts, podIdentity: r.podIdentityAssociations, serviceAccounts: r.serviceAccounts }));
  return { latest, trend, scanId: newest.id };
}
