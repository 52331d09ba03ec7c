// Cross-account in one flow: once a request's association with a target role in
// another account exists, RoleGate reads the association's externalId
// (DescribePodIdentityAssociation) and files a follow-up request with ONE
// "iam-trust-update" item: the target role's trust gains a statement letting the
// source role chain in with sts:ExternalId = that id (and sts:TagSession). The
// IAM team approves it like every IAM item; the follow-up names the original
// request in its justification and in its `request.created` audit row.
import type { RequestItem } from "@/lib/db/generated/client";
import { chainedTrustPolicy, fileRequest, locationOf, targetRoleLocation, trustHash, type RequestsDeps } from "@/lib/requests";

export const CHAIN_TAG = "[cross-account-trust]";

const tagOf = (requestId: string) => `${CHAIN_TAG} follow-up of request ${requestId}:`;

async function fileOne(deps: RequestsDeps, request: { id: string; requesterId: string }, item: RequestItem): Promise<string | null> {
  const location = locationOf(deps.targets, item);
  const association = await deps.aws.eks.findAssociation(location, item.cluster, item.namespace, item.serviceAccount);
  if (!association?.externalId || association.targetRoleArn !== item.targetRoleArn || association.roleArn !== item.roleArn) return null;
  const targetArn = item.targetRoleArn!;
  const targetLocation = targetRoleLocation(deps.targets, item)!;
  const target = await deps.aws.iam.getRole(targetLocation, targetArn);
  if (!target) return null;
  const next = chainedTrustPolicy(target.trustPolicy, item.roleArn!, association.externalId);
  if (!next) return null; // the target already allows the source role with this id
  const requester = await deps.prisma.user.findUniqueOrThrow({ where: { id: request.requesterId } });
  const audit = { cluster: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, roleArn: targetArn };
  const { id } = await fileRequest(deps, {
    kind: "batch",
    requester,
    justification: `${tagOf(request.id)} let ${item.roleArn} chain into ${targetArn} with the external id ${association.externalId} of association ${association.associationId} (${item.namespace}/${item.serviceAccount} on ${item.cluster}).`,
    // The item is located in the target role's account (its configured credentials write there); apply refuses it
    // when that account is not a watched target. The cluster names the association it is for.
    items: [{ kind: "iam-trust-update", cluster: item.cluster, accountId: targetLocation.accountId, region: targetLocation.region, namespace: item.namespace, serviceAccount: item.serviceAccount, roleArn: targetArn, iamPolicyName: null, iamPolicyDocument: JSON.stringify(next, null, 2), iamBaseHash: trustHash(target.trustPolicy) }],
    // Matched where the association lives and where the trust is written (the target role's account): the union only raises.
    policyFor: [
      { accountId: item.accountId, region: item.region, cluster: item.cluster, namespace: item.namespace, roleArn: item.roleArn, targetRoleArn: targetArn },
      { accountId: targetLocation.accountId, region: targetLocation.region, cluster: item.cluster, namespace: item.namespace, roleArn: targetArn },
    ],
    audit: {
      item: audit,
      details: ({ policy }) => ({ kind: "batch", followUpOf: request.id, crossAccount: { sourceRoleArn: item.roleArn, targetRoleArn: targetArn, associationId: association.associationId, externalId: association.externalId }, iamItems: [`iam-trust-update ${targetArn}`], requiredApprovals: policy.requiredApprovals }),
    },
    notification: `RoleGate asks (for ${requester.login}, request ${request.id}) to let ${item.roleArn} chain into ${targetArn} with the association's external id`,
  });
  return id;
}

/**
 * After a request applied: one follow-up per applied create/update item with a target role
 * whose trust lacks the association's external id. Runs again safely (an open follow-up of
 * the same request and target is not filed twice).
 */
export async function fileChainTrustFollowUps(deps: RequestsDeps, requestId: string): Promise<string[]> {
  const request = await deps.prisma.request.findUnique({ where: { id: requestId }, include: { items: { orderBy: { position: "asc" } } } });
  if (!request) return [];
  const filed: string[] = [];
  for (const item of request.items) {
    if ((item.kind !== "create" && item.kind !== "update") || item.status !== "applied" || !item.targetRoleArn || !item.roleArn) continue;
    const open = await deps.prisma.requestItem.findFirst({
      where: { kind: "iam-trust-update", roleArn: item.targetRoleArn, cluster: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, request: { justification: { startsWith: tagOf(requestId) } } },
    });
    if (open) continue;
    const id = await fileOne(deps, request, item);
    if (id) filed.push(id);
  }
  return filed;
}
