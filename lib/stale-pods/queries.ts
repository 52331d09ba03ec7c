import "server-only";
// What the /stale-pods page reads: per watched cluster, the stale pods found live.
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { stalePodsOverview, type ClusterStalePods } from "./overview";

export async function stalePodsView(): Promise<ClusterStalePods[]> {
  return stalePodsOverview(getConfig(), await getPrisma());
}
