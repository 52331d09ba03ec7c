// What an applied item leaves in EKS, read back for the association cache
// (lib/inventory/association-cache.ts), so /mappings shows it at once.
import type { AwsLocation } from "@/lib/aws/types";
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { RequestItem } from "@/lib/db/generated/client";
import type { AppliedAssociation } from "@/lib/inventory/association-cache";
import type { ItemOutcome } from "./apply-item";

/**
 * The association an applied item created, changed, adopted or deleted; null for an item that
 * touches no association (IAM changes). A failed read-back is not the item's failure: the
 * item is applied in AWS, and the next refresh brings the cache up to date.
 */
export async function appliedAssociation(aws: RequestsGateway, location: AwsLocation, item: RequestItem, r: ItemOutcome): Promise<AppliedAssociation | null> {
  if (!r.ok || !r.associationId) return null;
  const cluster = { accountId: location.accountId, region: location.region, name: item.cluster };
  if (r.outcome === "deleted") return { cluster, deleted: r.associationId };
  try {
    const present = await aws.eks.describeAssociation(location, item.cluster, r.associationId);
    return present ? { cluster, present } : { cluster, deleted: r.associationId };
  } catch {
    return null;
  }
}
