// The request a "revoke" decision files, through fileRequest and the normal
// approval gate: Pod Identity -> a delete of the association (the ordinary
// request path: prechecks, restart of the SA's running pods); IRSA -> one
// iam-trust-update item taking this SA out of the role's trust on this cluster's
// OIDC provider (lib/tightening/irsa-revocation.ts): its exact subject removed,
// and a wildcard or subject-less statement that lets it in tightened to the
// service accounts that use the role, minus this one. The IAM team approves it.
// `inTx` runs inside the request's transaction once the request is written: the
// review item's CAS (pointing at it) and audit row commit with the request or
// not at all.
import { IRSA_ANNOTATION } from "@/lib/inventory/analysis/findings/types";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import { createRequest, type Actor, type RequestsDeps, type Tx } from "@/lib/requests";
import type { ClusterSa } from "@/lib/tightening/irsa-narrow";
import { fileIrsaRevocation } from "@/lib/tightening/irsa-revocation";
import type { ScopedMapping } from "./mappings";

export const REVIEW_TAG = "[review:revoke]";

/** The mapping a review item names (lib/reviews/mappings.ts), as the item stores it. */
export type RevokedMapping = Omit<ScopedMapping, "mechanism" | "via"> & { mechanism: string; via: string | null };

/** The cluster's service accounts in the latest scan, marked when annotated with the role; null without a scan of it. */
function clusterServiceAccounts(snapshot: InventorySnapshot | null, m: RevokedMapping): ClusterSa[] | null {
  const c = snapshot?.clusters.find((x) => x.name === m.cluster && x.accountId === m.accountId && x.region === m.region);
  return c ? c.serviceAccounts.map((sa) => ({ namespace: sa.namespace, serviceAccount: sa.name, usesRole: sa.annotations[IRSA_ANNOTATION] === m.roleArn })) : null;
}

export async function fileRevocation(
  deps: RequestsDeps & { snapshot: () => Promise<InventorySnapshot | null> },
  actor: Actor,
  m: RevokedMapping,
  why: string,
  inTx: (tx: Tx, requestId: string) => Promise<void>,
): Promise<string> {
  const justification = `${REVIEW_TAG} ${why}`;
  if (m.mechanism === "pod-identity") {
    const where = { cluster: m.cluster, accountId: m.accountId, region: m.region, namespace: m.namespace, serviceAccount: m.serviceAccount };
    const r = await createRequest(deps, actor, { kind: "delete", ...where, roleArn: m.roleArn, associationId: m.associationId ?? undefined, disableSessionTags: false, tags: {}, justification }, undefined, inTx);
    return r.id;
  }
  // A wildcard or any-sa statement is narrowed to the latest scan's SAs that use the role (also when the item's
  // via says exact: the SA may get in through an open statement as well).
  const sas = clusterServiceAccounts(await deps.snapshot(), m);
  return fileIrsaRevocation(deps, actor, m, sas, { justification, inTx, details: { review: "revoke", via: m.via } });
}
