// The one-screen summary of a request that adopts several associations (bulk
// adopt from /drift, or the estate baseline): counts by cluster, namespace and
// role computed from the request's own items, so the reviewer approves the
// batch once instead of reading 500 rows. The associations the baseline set
// apart for their findings are not items; they are read from what the filing
// recorded (its request.created audit row), when it recorded them.
import type { PrismaClient } from "@/lib/db/generated/client";
import { countAdoptions } from "./adopt";
import type { SetApartRecord } from "./baseline";

export interface AdoptBatchSummary {
  total: number;
  /** [key, count], most first (ties by key). */
  byCluster: [string, number][];
  byNamespace: [string, number][];
  byRole: [string, number][];
  /** Whether the request is the estate baseline (drift baseline) rather than a bulk adopt. */
  baseline: boolean;
  /** Left out of the baseline for their findings; null when the filing recorded none (bulk adopt, older baselines). */
  setApart: SetApartRecord[] | null;
}

const ranked = (o: Record<string, number>): [string, number][] => Object.entries(o).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));

/** What older baselines recorded (drift keys only) and what they record now (keys with findings). */
function setApartOf(recorded: unknown): SetApartRecord[] | null {
  if (!Array.isArray(recorded)) return null;
  return recorded.flatMap((r): SetApartRecord[] => {
    if (typeof r === "string") return [{ key: r, findings: [] }];
    if (r && typeof r === "object" && typeof (r as SetApartRecord).key === "string") {
      const findings = (r as SetApartRecord).findings;
      return [{ key: (r as SetApartRecord).key, findings: Array.isArray(findings) ? findings.map(String) : [] }];
    }
    return [];
  });
}

/** The summary of a request's items when they are two or more adopt items (and nothing else); else null. */
export function adoptBatchSummary(items: { kind: string; cluster: string; namespace: string; roleArn: string | null }[], filed: Record<string, unknown> | null): AdoptBatchSummary | null {
  if (items.length < 2 || items.some((i) => i.kind !== "adopt")) return null;
  const c = countAdoptions(items.map((i) => ({ cluster: i.cluster, namespace: i.namespace, roleArn: i.roleArn ?? "" })));
  return { total: c.total, byCluster: ranked(c.byCluster), byNamespace: ranked(c.byNamespace), byRole: ranked(c.byRole), baseline: filed?.baseline === true, setApart: setApartOf(filed?.setApart) };
}

/** Read-only: the request's items and its filing's audit details. */
export async function loadAdoptBatchSummary(prisma: PrismaClient, requestId: string): Promise<AdoptBatchSummary | null> {
  const items = await prisma.requestItem.findMany({ where: { requestId }, select: { kind: true, cluster: true, namespace: true, roleArn: true }, orderBy: { position: "asc" } });
  if (items.length < 2 || items.some((i) => i.kind !== "adopt")) return null;
  const filed = await prisma.auditEvent.findFirst({ where: { requestId, event: "request.created" }, select: { details: true }, orderBy: { id: "asc" } });
  const details = filed?.details && typeof filed.details === "object" && !Array.isArray(filed.details) ? (filed.details as Record<string, unknown>) : null;
  return adoptBatchSummary(items, details);
}
