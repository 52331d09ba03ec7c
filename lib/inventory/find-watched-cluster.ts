import "server-only";
import { DomainError } from "@/lib/core/errors";
import type { PrismaClient } from "@/lib/db/generated/client";

/** A watched cluster by id, from the server's cache; a 404 the user can act on when it is not there. */
export async function findWatchedCluster(prisma: Pick<PrismaClient, "cluster">, id: string) {
  const cluster = await prisma.cluster.findUnique({ where: { id } });
  if (!cluster) throw new DomainError("not_found", `No watched cluster ${id}. Refresh the page: the cluster list may have changed.`);
  return cluster;
}
