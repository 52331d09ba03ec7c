// The request a "revoke" decision files, through fileRequest and the normal
// approval gate: Pod Identity -> a delete of the association (the ordinary
// request path: prechecks, restart of the SA's running pods); IRSA -> one
// iam-trust-update item removing exactly this SA's subject from the role's
// statements of this cluster's OIDC provider (the migration clean-up's edit,
// lib/migration), approved by the IAM team. `inTx` runs inside the request's
// transaction once the request is written: the review item's CAS (pointing at it)
// and audit row commit with the request or not at all.
import { DomainError } from "@/lib/core/errors";
import { readSubjectRemoval } from "@/lib/migration/file-irsa-cleanup";
import { createRequest, fileRequest, resolveLocation, trustHash, type Actor, type RequestsDeps, type Tx } from "@/lib/requests";
import type { ScopedMapping } from "./mappings";

export const REVIEW_TAG = "[review:revoke]";

/** The mapping a review item names (lib/reviews/mappings.ts), as the item stores it. */
export type RevokedMapping = Omit<ScopedMapping, "mechanism" | "via"> & { mechanism: string };

export async function fileRevocation(deps: RequestsDeps, actor: Actor, m: RevokedMapping, why: string, inTx: (tx: Tx, requestId: string) => Promise<void>): Promise<string> {
  const justification = `${REVIEW_TAG} ${why}`;
  if (m.mechanism === "pod-identity") {
    const where = { cluster: m.cluster, accountId: m.accountId, region: m.region, namespace: m.namespace, serviceAccount: m.serviceAccount };
    const r = await createRequest(deps, actor, { kind: "delete", ...where, roleArn: m.roleArn, associationId: m.associationId ?? undefined, disableSessionTags: false, tags: {}, justification }, undefined, inTx);
    return r.id;
  }
  const location = await resolveLocation(deps.prisma, deps.targets, m);
  const read = await readSubjectRemoval(deps, location, m);
  if ("problem" in read) throw new DomainError("unavailable", `${read.problem} Try again once it can be read.`);
  const { removal, providerArn } = read;
  if (removal.edited.length + removal.dropped.length === 0) {
    const how = removal.wildcards.length ? `it gets in through wildcard subject(s) ${removal.wildcards.join(", ")}, which other service accounts share` : "no statement names it exactly";
    throw new DomainError("invalid", `Cannot revoke ${m.namespace}/${m.serviceAccount} from ${m.roleArn} by editing one subject: ${how}. Tighten the trust policy with a reviewed IAM change instead.`);
  }
  if (removal.policy.Statement.length === 0) throw new DomainError("invalid", `Removing ${m.namespace}/${m.serviceAccount} would leave ${m.roleArn} with no trust statement; deleting a role is a separate, explicit request.`);
  const item = { cluster: m.cluster, namespace: m.namespace, serviceAccount: m.serviceAccount, roleArn: m.roleArn };
  // An "iam-trust-update" item: the IAM team approves it (lib/requests/item-kinds.ts).
  const { id } = await fileRequest(deps, {
    kind: "batch",
    requester: actor,
    justification,
    items: [
      {
        kind: "iam-trust-update", ...item, accountId: location.accountId, region: location.region, iamPolicyName: null, iamPolicyDocument: JSON.stringify(removal.policy),
        // Apply refuses to overwrite a trust that changed after filing (lib/requests/trust-guard.ts).
        iamBaseHash: trustHash(read.trustPolicy),
      },
    ],
    more: (tx, requestId) => inTx(tx, requestId),
    audit: { item, details: ({ policy }) => ({ kind: "batch", review: "revoke", providerArn, iamItems: [`iam-trust-update ${m.roleArn}`], requiredApprovals: policy.requiredApprovals }) },
    notification: `${actor.login} (access review) asks to remove the IRSA subject of ${m.namespace}/${m.serviceAccount} on ${m.cluster} from ${m.roleArn}`,
  });
  return id;
}
