// The migration page's data: IRSA candidates of the latest scan with the state
// of their migration (step 1 request) and clean-up (step 2 request).
import "server-only";
import { DomainError } from "@/lib/core/errors";
import type { PrismaClient } from "@/lib/db/generated/client";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { CLEANUP_TAG, MIGRATION_TAG } from "./file-migration";
import { migrationCandidates, type MigrationCandidate } from "./plan";

export interface MigrationRow extends MigrationCandidate {
  migration: { requestId: string; status: string } | null;
  cleanup: { requestId: string; status: string } | null;
}

/**
 * Candidates the overview carries at most (in key order: cluster, namespace, SA, role);
 * `total` and `truncated` say how many the scan has. The page filters and pages these.
 */
export const MIGRATION_OVERVIEW_MAX = 5000;

export interface MigrationOverview {
  scanId: string | null;
  scannedAt: string | null;
  rows: MigrationRow[];
  total: number;
  truncated: boolean;
}

export async function migrationOverview(prisma: PrismaClient, max = MIGRATION_OVERVIEW_MAX): Promise<MigrationOverview> {
  const view = await getInventoryView(prisma);
  if (!view) return { scanId: null, scannedAt: null, rows: [], total: 0, truncated: false };
  const all = migrationCandidates(view.snapshot, view.analysis);
  const candidates = all.slice(0, max);
  // Only the requests of the candidates carried, not every migration ever filed.
  const items = candidates.length
    ? await prisma.requestItem.findMany({
        where: {
          cluster: { in: [...new Set(candidates.map((c) => c.cluster))] },
          serviceAccount: { in: [...new Set(candidates.map((c) => c.serviceAccount))] },
          OR: [{ kind: "create", request: { justification: { startsWith: MIGRATION_TAG } } }, { kind: "iam-trust-update", request: { justification: { startsWith: CLEANUP_TAG } } }],
        },
        select: { kind: true, cluster: true, namespace: true, serviceAccount: true, roleArn: true, requestId: true, request: { select: { status: true, createdAt: true } } },
        orderBy: { request: { createdAt: "asc" } },
      })
    : [];
  const latest = new Map<string, { requestId: string; status: string }>();
  for (const i of items) latest.set(`${i.kind}|${i.cluster}/${i.namespace}/${i.serviceAccount}/${i.roleArn}`, { requestId: i.requestId, status: i.request.status });
  return {
    scanId: view.scanId,
    scannedAt: view.scannedAt,
    rows: candidates.map((c) => ({ ...c, migration: latest.get(`create|${c.key}`) ?? null, cleanup: latest.get(`iam-trust-update|${c.key}`) ?? null })),
    total: all.length,
    truncated: all.length > candidates.length,
  };
}

/** A candidate by key, looked up on the server (nothing about it is taken from the client). */
export async function findCandidate(prisma: PrismaClient, key: string): Promise<MigrationCandidate> {
  const view = await getInventoryView(prisma);
  const c = view ? migrationCandidates(view.snapshot, view.analysis).find((x) => x.key === key) : undefined;
  if (!c) throw new DomainError("not_found", `No IRSA service account ${key} in the latest scan: rescan and reload the page.`);
  return c;
}
