// Whose association an update / delete / adopt acts on is AWS's answer, not the
// requester's claim (nor, for adopt, the scan cache's). At filing the association is
// described by id (or, for update/delete, found by the claimed namespace/SA when no id
// is given); a claim that names another association's id is refused with both
// identities, and the item stores what AWS said: namespace, SA, id and the role it
// maps (subjectRoleArn). Prechecks, policy matching, the page and the audit then all
// see the real subject, and apply re-reads it (./apply-item.ts).
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { AssociationDetail, AwsLocation } from "@/lib/aws/types";
import { DomainError } from "@/lib/core/errors";

export interface Subject {
  associationId: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn: string | null;
  disableSessionTags: boolean;
}

type Claim = { kind: string; cluster: string; namespace: string; serviceAccount: string; associationId?: string };

/** The real subject of an update/delete/adopt item, or null when the SA has no association (prechecks say so; an adopt names its id, so never). */
export async function resolveSubject(aws: RequestsGateway, location: AwsLocation, item: Claim, field: string): Promise<Subject | null> {
  if (item.kind !== "update" && item.kind !== "delete" && item.kind !== "adopt") return null;
  let found: AssociationDetail | null;
  if (item.kind === "adopt" && !item.associationId) throw new DomainError("invalid", "Invalid input", { [field]: ["an adopt item names the association it adopts"] });
  if (item.associationId) {
    found = await aws.eks.describeAssociation(location, item.cluster, item.associationId);
    if (!found) throw new DomainError("invalid", "Invalid input", { [field]: [`there is no association ${item.associationId} on ${item.cluster}`] });
    if (found.namespace !== item.namespace || found.serviceAccount !== item.serviceAccount) {
      throw new DomainError("invalid", "Invalid input", {
        [field]: [`association ${item.associationId} on ${item.cluster} belongs to ${found.namespace}/${found.serviceAccount}, not to the stated ${item.namespace}/${item.serviceAccount}`],
      });
    }
  } else {
    found = await aws.eks.findAssociation(location, item.cluster, item.namespace, item.serviceAccount);
  }
  return found
    ? { associationId: found.associationId, namespace: found.namespace, serviceAccount: found.serviceAccount, roleArn: found.roleArn, targetRoleArn: found.targetRoleArn ?? null, disableSessionTags: found.disableSessionTags }
    : null;
}

export const ASSOCIATION_CHANGED = "AssociationChanged";

/** Why the association no longer is what was approved, or null when it still is. `alreadyApplied` accepts our own earlier write (a retry). */
export function subjectMismatch(
  item: { cluster: string; namespace: string; serviceAccount: string; associationId: string | null; subjectRoleArn: string | null },
  current: AssociationDetail,
  alreadyApplied: (current: AssociationDetail) => boolean,
): string | null {
  if (alreadyApplied(current)) return null;
  const was = `${item.namespace}/${item.serviceAccount}${item.subjectRoleArn ? ` -> ${item.subjectRoleArn}` : ""}`;
  const now = `${current.namespace}/${current.serviceAccount} -> ${current.roleArn}`;
  const same = current.namespace === item.namespace && current.serviceAccount === item.serviceAccount && (!item.subjectRoleArn || current.roleArn === item.subjectRoleArn);
  return same ? null : `association ${item.associationId} on ${item.cluster} was approved as ${was} but is now ${now}: nothing sent; file the request again`;
}
