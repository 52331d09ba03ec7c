// The evidence shown with each review item: the role's last use (IAM GetRole's
// RoleLastUsed, read through lib/aws), the SA's pods running now (latest scan),
// who approved the mapping and when (RoleGate's requests), and the role's findings.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Finding } from "@/lib/inventory/analysis";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import type { ItemKinds } from "@/lib/requests";
import type { ScopedMapping } from "./mappings";

export interface ItemEvidence {
  /** ISO time of the role's last use; null = never used (or not within IAM's tracking window). */
  roleLastUsed: string | null;
  roleLastUsedRegion: string | null;
  /** Whether IAM could be read at all (false: roleLastUsed unknown, no suggestion made from it). */
  roleReadable: boolean;
  runningPods: string[];
  approvedBy: string[];
  approvedAt: string | null;
  /** The requester of the last applied request on the mapping. */
  requestedBy: string | null;
  /** Every requester of an applied request on the mapping (none of them reviews it). */
  requesters: string[];
  requestId: string | null;
  findings: { id: string; kind: string; severity: string; title: string }[];
}

/** Applied items of applied requests that put this mapping in force: items of a kind that establishes a mapping (a Pod Identity association or an IRSA trust; item-kind registry). */
type MappingKey = Pick<ScopedMapping, "cluster" | "namespace" | "serviceAccount" | "roleArn">;

const appliedItems = (kinds: Pick<ItemKinds, "select">, m: MappingKey) => ({
  status: "applied", kind: { in: kinds.select((k) => !!k.establishesMapping) }, cluster: m.cluster, namespace: m.namespace, serviceAccount: m.serviceAccount, roleArn: m.roleArn, request: { status: "applied" as const },
});

/**
 * Every person who requested this mapping through RoleGate (any applied request
 * on it, not only the last): none of them may review it. Read at start and again
 * at decision time (a request applied mid-campaign counts too).
 */
export async function mappingRequesters(prisma: PrismaClient, kinds: Pick<ItemKinds, "select">, m: MappingKey): Promise<string[]> {
  const rows = await prisma.requestItem.findMany({ where: appliedItems(kinds, m), select: { request: { select: { requester: { select: { login: true } } } } } });
  return [...new Set(rows.map((r) => r.request.requester.login))].sort();
}

/** The last applied request that put this mapping in force, with its requester and approvers, and every requester of the mapping. */
export async function lastApproval(prisma: PrismaClient, kinds: Pick<ItemKinds, "select">, m: MappingKey) {
  const item = await prisma.requestItem.findFirst({
    where: appliedItems(kinds, m),
    orderBy: { appliedAt: "desc" },
    include: { request: { include: { requester: true, reviews: { where: { decision: "approve" }, include: { reviewer: true }, orderBy: { createdAt: "asc" } } } } },
  });
  if (!item) return null;
  return {
    requestId: item.requestId,
    requester: item.request.requester.login,
    requesters: await mappingRequesters(prisma, kinds, m),
    approvedBy: item.request.reviews.map((r) => r.reviewer.login),
    approvedAt: item.request.decidedAt?.toISOString() ?? null,
  };
}

export function runningPods(snapshot: InventorySnapshot, m: ScopedMapping): string[] {
  const c = snapshot.clusters.find((x) => x.name === m.cluster && x.accountId === m.accountId && x.region === m.region);
  return (c?.pods ?? []).filter((p) => p.namespace === m.namespace && p.serviceAccountName === m.serviceAccount && (p.phase === "Running" || p.phase === "Pending")).map((p) => p.name).sort();
}

/** One GetRole per role of the campaign (cached), in the role's own account. */
export function roleLastUsedReader(aws: RequestsGateway) {
  const cache = new Map<string, Promise<{ date: string | null; region: string | null; readable: boolean }>>();
  return (m: ScopedMapping) => {
    let p = cache.get(m.roleArn);
    if (!p) {
      const accountId = m.roleArn.split(":")[4] ?? m.accountId;
      p = aws.iam
        .getRole({ accountId, region: m.region }, m.roleArn)
        .then((r) => (r ? { date: r.lastUsed?.date ?? null, region: r.lastUsed?.region ?? null, readable: true } : { date: null, region: null, readable: true }))
        .catch(() => ({ date: null, region: null, readable: false }));
      cache.set(m.roleArn, p);
    }
    return p;
  };
}

export function roleFindings(findings: Finding[], roleArn: string) {
  return findings.filter((f) => f.roleArn === roleArn).map((f) => ({ id: f.id, kind: f.kind, severity: f.severity, title: f.title }));
}

/** Unused: RoleLastUsed older than the threshold or never, and no pod of the SA running now. */
export function suggestRevoke(e: Pick<ItemEvidence, "roleLastUsed" | "roleReadable" | "runningPods">, unusedDays: number, at: Date): boolean {
  if (!e.roleReadable || e.runningPods.length > 0) return false;
  if (e.roleLastUsed === null) return true;
  return at.getTime() - new Date(e.roleLastUsed).getTime() > unusedDays * 86_400_000;
}
