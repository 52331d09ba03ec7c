// Where a cluster lives: account and region from the input, else from the cached
// cluster list, else from the only configured target. The assume-role comes from config.
import { DomainError } from "@/lib/core/errors";
import type { AwsLocation } from "@/lib/aws/types";
import type { Target } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";

export async function resolveLocation(
  prisma: Pick<PrismaClient, "cluster">,
  targets: Target[],
  item: { cluster: string; accountId?: string; region?: string },
  field = "cluster",
): Promise<AwsLocation> {
  let accountId = item.accountId;
  let region = item.region;
  if (!accountId || !region) {
    const known = await prisma.cluster.findMany({ where: { name: item.cluster, ...(accountId ? { accountId } : {}), ...(region ? { region } : {}) } });
    if (known.length === 1) ({ accountId, region } = known[0]!);
    else if (known.length > 1) throw new DomainError("invalid", "Invalid input", { [field]: [`${item.cluster} exists in several accounts/regions: give accountId and region`] });
  }
  if (!accountId || !region) {
    const pairs = [...new Set(targets.map((t) => `${t.accountId}/${t.region}`))].filter(
      (p) => (!accountId || p.startsWith(`${accountId}/`)) && (!region || p.endsWith(`/${region}`)),
    );
    if (pairs.length !== 1) throw new DomainError("invalid", "Invalid input", { [field]: [`unknown cluster ${item.cluster}: give accountId and region, or refresh mappings`] });
    [accountId, region] = pairs[0]!.split("/") as [string, string];
  }
  const target = targets.find((t) => t.accountId === accountId && t.region === region) ?? targets.find((t) => t.accountId === accountId);
  return { accountId, region, ...(target?.assumeRoleArn ? { assumeRoleArn: target.assumeRoleArn } : {}) };
}
