// Builds an InventorySnapshot of every configured target. Accounts (IAM) and
// clusters are read in parallel; each cluster's Describe calls are paced by
// its own adaptive rate limiter. Failures are recorded per scope in
// snapshot.errors and never cost the other accounts or clusters.
import type { Target } from "@/lib/config/schema";
import { mapWithConcurrency } from "@/lib/util/concurrency";
import { arnOrder, clusterOrder } from "../snapshot-order";
import type { InventorySnapshot, SnapshotCluster, SnapshotOidcProvider, SnapshotRole } from "../snapshot-types";
import { ScanContext, type ScanDeps, type ScanError } from "./context";
import { nodeRoleArnsOf } from "./cluster-digest";
import type { ProgressListener } from "./progress";
import type { SnapshotHeader } from "./segments";
import { readRolePolicies, scanAccountIam, type AccountIam } from "./scan-account";
import { scanCluster } from "./scan-cluster";

interface BuildResult {
  snapshot: InventorySnapshot;
  /** Rate limiter state at the end (rate reached, throttles seen) per scope. */
  limiterStats: { key: string; rate: number; throttles: number }[];
}

/** The clusters a target names, or all of its account/region's for "*"; a failure is the target's error (no clusters). */
export async function targetClusters(ctx: ScanContext, target: Target): Promise<string[]> {
  try {
    return target.clusters.includes("*")
      ? await ctx.limited({ accountId: target.accountId, region: target.region, operation: "ListClusters" }, () => ctx.deps.eks.listClusterNames(target))
      : target.clusters;
  } catch (e) {
    ctx.error(`target:${target.accountId}/${target.region}`, e);
    return [];
  }
}

async function resolveClusters(ctx: ScanContext): Promise<{ target: Target; name: string }[]> {
  const perTarget = await Promise.all(ctx.deps.targets.map(async (target) => (await targetClusters(ctx, target)).map((name) => ({ target, name }))));
  return perTarget.flat();
}

/** One location per account for IAM (IAM is global): the first target naming it. */
export function accountLocations(targets: Target[]): Target[] {
  const seen = new Map<string, Target>();
  for (const t of targets) if (!seen.has(t.accountId)) seen.set(t.accountId, t);
  return [...seen.values()];
}

/** Regions of the account watched for named clusters only (no "*" target there): what the scan could not see. */
function namedClustersOf(targets: Target[], accountId: string): { namedClusters?: Record<string, string[]> } {
  const named: Record<string, string[]> = {};
  for (const region of new Set(targets.filter((t) => t.accountId === accountId).map((t) => t.region))) {
    const here = targets.filter((t) => t.accountId === accountId && t.region === region);
    if (!here.some((t) => t.clusters.includes("*"))) named[region] = [...new Set(here.flatMap((t) => t.clusters))].sort();
  }
  return Object.keys(named).length ? { namedClusters: named } : {};
}

/**
 * The last step of a scan's IAM, once every account and cluster is read: the node roles'
 * policies, then the roles and OIDC providers in their stable order (the fanned-out scan's
 * finalize runs this too, with the node roles its cluster parts found).
 */
export async function finishIam(
  ctx: ScanContext,
  accounts: Target[],
  iam: (AccountIam | undefined)[],
  nodeRoleArns: ReadonlySet<string>,
): Promise<{ roles: SnapshotRole[]; oidcProviders: SnapshotOidcProvider[] }> {
  ctx.progress.setPhase("node-role-policies");
  const roles: SnapshotRole[] = [];
  const oidcProviders: SnapshotOidcProvider[] = [];
  await Promise.all(
    accounts.map(async (location, i) => {
      const account = iam[i];
      if (!account) return;
      roles.push(...account.roles);
      oidcProviders.push(...account.oidcProviders);
      await readRolePolicies(ctx, location, account.roles.filter((r) => nodeRoleArns.has(r.arn)));
    }),
  );
  return { roles: roles.sort(arnOrder), oidcProviders: oidcProviders.sort(arnOrder) };
}

/** What a snapshot says besides its clusters and IAM: when, which accounts and regions, what failed. */
export function snapshotHeader(ctx: ScanContext, scannedAt: string): SnapshotHeader {
  const { targets } = ctx.deps;
  const regions = new Map<string, Set<string>>();
  for (const t of targets) (regions.get(t.accountId) ?? regions.set(t.accountId, new Set()).get(t.accountId)!).add(t.region);
  return {
    scannedAt,
    accounts: [...regions].map(([accountId, r]) => ({ accountId, regions: [...r].sort(), ...namedClustersOf(targets, accountId) })),
    errors: ctx.errors as ScanError[],
  };
}

export async function buildInventorySnapshot(deps: ScanDeps, onProgress?: ProgressListener): Promise<BuildResult> {
  const now = deps.now ?? (() => new Date());
  const scannedAt = now().toISOString();
  const ctx = new ScanContext(deps, onProgress);
  try {
    const accounts = accountLocations(deps.targets);
    const iamDone = Promise.all(accounts.map((a) => scanAccountIam(ctx, a)));
    const clusterList = await resolveClusters(ctx);
    ctx.progress.addTotal("clusters", clusterList.length);
    ctx.progress.setPhase("scanning");
    const clusters = (
      await mapWithConcurrency(clusterList, deps.clusterConcurrency ?? 32, ({ target, name }) => scanCluster(ctx, target, name))
    ).filter((c): c is SnapshotCluster => c !== undefined);
    const iam = await iamDone;
    const { roles, oidcProviders } = await finishIam(ctx, accounts, iam, nodeRoleArnsOf(clusters));
    const { scannedAt: at, accounts: scanned, errors } = snapshotHeader(ctx, scannedAt);
    const snapshot: InventorySnapshot = { scannedAt: at, accounts: scanned, clusters: clusters.sort(clusterOrder), roles, oidcProviders, errors };
    return { snapshot, limiterStats: ctx.limits.stats() };
  } finally {
    ctx.close();
  }
}
