// Refreshes the cached copy of every Pod Identity association RoleGate watches:
// List + Describe through the EKS gateway, then one transaction per cluster
// replaces that cluster's rows. A failing cluster keeps its previous rows and
// records the error; the others still refresh.
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import type { Target } from "@/lib/config/schema";
import type { AssociationDetail, EksGateway, IdentityGateway } from "@/lib/aws";
import { mapWithConcurrency } from "@/lib/util/concurrency";
import { associationRow } from "./association-cache";

/** Describe calls in flight per cluster; the SDK's adaptive retry absorbs throttling. */
const DESCRIBE_CONCURRENCY = 8;
/** A refresh still "running" after this long is taken to have died with its process. */
const STALE_REFRESH_MS = 15 * 60_000;

export interface RefreshDeps {
  prisma: PrismaClient;
  eks: EksGateway;
  /** When given, each target's credentials are checked to act in the target's account. */
  identity?: IdentityGateway;
  targets: Target[];
  now?: () => Date;
  /** Runs once the clusters are refreshed, before the refresh is marked finished (lib/runtime.ts: standing approvals map new service accounts). */
  afterRefresh?: () => Promise<unknown>;
}

interface ClusterOutcome {
  accountId: string;
  region: string;
  cluster: string;
  associations?: number;
  error?: string;
}

/** Starts a refresh unless one is already running; returns its id either way. */
export async function startMappingRefresh(
  deps: RefreshDeps,
  actor: string,
): Promise<{ refreshId: string; alreadyRunning: boolean; done: Promise<ClusterOutcome[]> }> {
  const now = deps.now ?? (() => new Date());
  const created = await deps.prisma.$transaction(async (tx) => {
    // Serialise concurrent starts (double clicks, two replicas) on one row lock.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(7261001)`);
    const running = await tx.mappingRefresh.findFirst({
      where: { status: "running", startedAt: { gt: new Date(now().getTime() - STALE_REFRESH_MS) } },
      orderBy: { startedAt: "desc" },
    });
    if (running) return { id: running.id, alreadyRunning: true };
    const row = await tx.mappingRefresh.create({ data: { startedBy: actor, startedAt: now() } });
    await recordAudit(tx, { actor, event: "mappings.refresh_started", subject: row.id });
    return { id: row.id, alreadyRunning: false };
  });
  const done = created.alreadyRunning ? Promise.resolve([]) : runRefresh(deps, created.id, actor);
  return { refreshId: created.id, alreadyRunning: created.alreadyRunning, done };
}

/** Clusters of every target; a target whose listing fails becomes a failed outcome, not a failed refresh. */
async function resolveClusters(deps: RefreshDeps): Promise<{ clusters: { target: Target; name: string }[]; failed: ClusterOutcome[] }> {
  const clusters: { target: Target; name: string }[] = [];
  const failed: ClusterOutcome[] = [];
  for (const target of deps.targets) {
    try {
      await deps.identity?.assertAccount(target);
      const names = target.clusters.includes("*") ? await deps.eks.listClusterNames(target) : target.clusters;
      for (const name of names) clusters.push({ target, name });
    } catch (e) {
      failed.push({ accountId: target.accountId, region: target.region, cluster: "*", error: (e as Error).message });
    }
  }
  return { clusters, failed };
}

async function runRefresh(deps: RefreshDeps, refreshId: string, actor: string): Promise<ClusterOutcome[]> {
  const now = deps.now ?? (() => new Date());
  const { clusters, failed: unlisted } = await resolveClusters(deps);
  const outcomes: ClusterOutcome[] = [...unlisted];
  await deps.prisma.mappingRefresh.update({ where: { id: refreshId }, data: { clustersTotal: clusters.length } });
  let seen = 0;
  for (const { target, name } of clusters) {
    const outcome = await refreshCluster(deps, target, name, now());
    outcomes.push(outcome);
    seen += outcome.associations ?? 0;
    await deps.prisma.mappingRefresh.update({
      where: { id: refreshId },
      data: { clustersDone: { increment: 1 }, associationsSeen: seen },
    });
  }
  // A failing hook never fails the refresh: what it files has its own audit rows.
  await deps.afterRefresh?.().catch((e) => console.error(JSON.stringify({ level: "error", refreshId, afterRefresh: (e as Error).message })));
  const failed = outcomes.filter((o) => o.error);
  const status = failed.length === 0 ? "succeeded" : failed.length === outcomes.length ? "failed" : "partial";
  await finish(deps, refreshId, actor, status, failed.map((f) => `${f.accountId}/${f.region}/${f.cluster}: ${f.error}`).join("; ") || null, seen);
  return outcomes;
}

async function finish(deps: RefreshDeps, id: string, actor: string, status: string, error: string | null, seen: number) {
  const now = deps.now ?? (() => new Date());
  await deps.prisma.$transaction(async (tx) => {
    await tx.mappingRefresh.update({ where: { id }, data: { status, error, finishedAt: now(), associationsSeen: seen } });
    await recordAudit(tx, { actor, event: "mappings.refresh_finished", subject: id, details: { status, error, associations: seen } });
  });
}

async function refreshCluster(deps: RefreshDeps, target: Target, name: string, at: Date): Promise<ClusterOutcome> {
  const base = { accountId: target.accountId, region: target.region, cluster: name };
  const key = { accountId_region_name: { accountId: target.accountId, region: target.region, name } };
  try {
    const info = await deps.eks.describeCluster(target, name);
    const summaries = await deps.eks.listAssociations(target, name);
    const details = await mapWithConcurrency(summaries, DESCRIBE_CONCURRENCY, (s) =>
      deps.eks.describeAssociation(target, name, s.associationId),
    );
    await deps.prisma.$transaction(async (tx) => {
      const cluster = await tx.cluster.upsert({
        where: key,
        create: { accountId: target.accountId, region: target.region, name, arn: info.arn, status: info.status, version: info.version, oidcIssuer: info.oidcIssuer, lastRefreshedAt: at },
        update: { arn: info.arn, status: info.status, version: info.version, oidcIssuer: info.oidcIssuer, lastRefreshedAt: at, lastRefreshError: null },
      });
      await tx.podIdentityAssociation.deleteMany({ where: { clusterId: cluster.id } });
      await tx.podIdentityAssociation.createMany({ data: details.map((d) => associationRow(cluster.id, d, at)) });
    });
    return { ...base, associations: details.length };
  } catch (e) {
    const message = (e as Error).message;
    await deps.prisma.cluster.upsert({
      where: key,
      create: { accountId: target.accountId, region: target.region, name, lastRefreshError: message },
      update: { lastRefreshError: message },
    });
    return { ...base, error: message };
  }
}
