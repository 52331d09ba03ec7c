// Which watched clusters a template's cluster entries name: the clusters of the
// last mappings refresh that lie in a configured target, matched by name, by glob
// (the one linear-time matcher, lib/trust/wildcard.ts) or as a Blue/Green pair.
import type { Cluster, PrismaClient } from "@/lib/db/generated/client";
import type { Target } from "@/lib/config/schema";
import { targetFor } from "@/lib/requests";
import { compileWildcard } from "@/lib/trust";
import { clusterPatterns } from "./covers";

export type WatchedCluster = Pick<Cluster, "id" | "accountId" | "region" | "name" | "arn">;

export async function watchedClusters(prisma: Pick<PrismaClient, "cluster">, targets: Target[]): Promise<WatchedCluster[]> {
  const rows = await prisma.cluster.findMany({ select: { id: true, accountId: true, region: true, name: true, arn: true }, orderBy: { name: "asc" } });
  return rows.filter((c) => targetFor(targets, { accountId: c.accountId, region: c.region, cluster: c.name }));
}

/** A compiled test of a template's entries over cluster names. */
export function clusterMatcher(entries: string[]): (name: string) => boolean {
  const tests = clusterPatterns(entries).map((p) => compileWildcard(p));
  return (name) => tests.some((t) => t.test(name));
}

export function templateClusters(entries: string[], watched: WatchedCluster[]): WatchedCluster[] {
  const matches = clusterMatcher(entries);
  return watched.filter((c) => matches(c.name));
}
