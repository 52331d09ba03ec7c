// Sends one item's AWS call, with exponential backoff on throttling and 5xx.
// Create is idempotent through the item's clientRequestToken; on
// ResourceInUseException the SA's existing association is adopted when it maps
// the same role, otherwise the item fails with a reason a person can act on.
// IAM items (lib/requests/iam-items.ts) write the role's trust or inline policy.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import { AwsCallError, type AwsLocation } from "@/lib/aws/types";
import type { RequestItem } from "@/lib/db/generated/client";
import { itemTags } from "./preview";
import { ASSOCIATION_CHANGED, subjectMismatch } from "./subject";
import { nodePolicyChangedMessage, policyHash, trustChangedMessage, trustHash, TRUST_CHANGED, NODE_POLICY_CHANGED } from "./trust-guard";

export interface ItemOutcome {
  ok: boolean;
  outcome?: "created" | "adopted" | "updated" | "deleted" | "iam-updated" | "restarted";
  associationId?: string;
  associationArn?: string;
  externalId?: string;
  awsRequestId?: string;
  errorCode?: string;
  errorMessage?: string;
  attempts: number;
}

/** Item kinds applied by other modules (e.g. "restart-pods", lib/stale-pods), registered at start-up. */
export type ItemApplier = (location: AwsLocation, item: RequestItem) => Promise<Omit<ItemOutcome, "attempts">>;
const appliers = new Map<string, ItemApplier>();
export function registerItemApplier(kind: string, applier: ItemApplier): void {
  appliers.set(kind, applier);
}
/** Kinds that write no association (adopt, registered kinds): no association prechecks apply to them. */
export const skipsAssociationPrechecks = (kind: string) => kind === "adopt" || appliers.has(kind) || kind === "restart-pods" || kind === "extend-expiry";

const THROTTLING = /throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i;

export function isTransient(e: unknown): boolean {
  return e instanceof AwsCallError && (e.retryable || THROTTLING.test(e.code) || (e.httpStatus ?? 0) >= 500 || e.httpStatus === 429);
}

export interface BackoffOptions {
  tries: number;
  baseMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { tries: 4, baseMs: 250 };

async function once(aws: RequestsGateway, location: AwsLocation, item: RequestItem): Promise<Omit<ItemOutcome, "attempts">> {
  // IAM items (idempotent writes: the same document again is a no-op).
  if (item.kind === "iam-trust-update") {
    // Lost-update guard: the trust must still be the one the new document was computed from.
    if (item.iamBaseHash) {
      const current = await aws.iam.getRole(location, item.roleArn!);
      if (!current) return { ok: false, errorCode: "NoSuchEntity", errorMessage: `${item.roleArn} does not exist any more; file the request again` };
      const currentHash = trustHash(current.trustPolicy);
      // A retry after our own write went through (the document is already ours) is not a change by someone else.
      if (currentHash !== item.iamBaseHash && currentHash !== trustHash(item.iamPolicyDocument!)) {
        return { ok: false, errorCode: TRUST_CHANGED, errorMessage: trustChangedMessage(item.roleArn!) };
      }
    }
    const r = await aws.iamWriter.updateAssumeRolePolicy(location, item.roleArn!, item.iamPolicyDocument!);
    return { ok: true, outcome: "iam-updated", ...r };
  }
  if (item.kind === "iam-node-role-policy") {
    // Lost-update guard: the inline policy must still be what it was at filing (or already ours, on a retry).
    if (item.iamBaseHash) {
      const current = await aws.iam.getRolePolicy(location, item.roleArn!, item.iamPolicyName!);
      const currentHash = policyHash(current);
      if (currentHash !== item.iamBaseHash && currentHash !== policyHash(item.iamPolicyDocument!)) {
        return { ok: false, errorCode: NODE_POLICY_CHANGED, errorMessage: nodePolicyChangedMessage(item.roleArn!, item.iamPolicyName!) };
      }
    }
    const r = await aws.iamWriter.putRolePolicy(location, item.roleArn!, item.iamPolicyName!, item.iamPolicyDocument!);
    return { ok: true, outcome: "iam-updated", ...r };
  }
  const custom = appliers.get(item.kind);
  if (custom) return custom(location, item);
  if (item.kind === "restart-pods") return { ok: false, errorCode: "NotConfigured", errorMessage: "Pod restarts are not configured in this process (no Kubernetes access registered)." };
  // Adopt (drift): no AWS write; the association must still map the adopted role.
  if (item.kind === "adopt") {
    const existing = await aws.eks.findAssociation(location, item.cluster, item.namespace, item.serviceAccount);
    if (existing && existing.roleArn === item.roleArn && (existing.targetRoleArn ?? null) === item.targetRoleArn) {
      return { ok: true, outcome: "adopted", associationId: existing.associationId, associationArn: existing.associationArn, externalId: existing.externalId };
    }
    return {
      ok: false,
      errorCode: "AdoptMismatch",
      errorMessage: existing
        ? `${item.namespace}/${item.serviceAccount} on ${item.cluster} now maps ${existing.roleArn} (association ${existing.associationId}), not the adopted ${item.roleArn}: nothing recorded. Look at /drift again.`
        : `${item.namespace}/${item.serviceAccount} on ${item.cluster} has no association any more: nothing to adopt.`,
    };
  }
  if (item.kind === "create") {
    try {
      const r = await aws.writer.createAssociation(location, {
        clusterName: item.cluster,
        namespace: item.namespace,
        serviceAccount: item.serviceAccount,
        roleArn: item.roleArn!,
        ...(item.targetRoleArn ? { targetRoleArn: item.targetRoleArn } : {}),
        disableSessionTags: item.disableSessionTags,
        ...(item.sessionPolicy ? { policy: item.sessionPolicy } : {}),
        tags: itemTags(item, item.requestId),
        clientRequestToken: item.clientRequestToken,
      });
      return { ok: true, outcome: "created", ...r };
    } catch (e) {
      if (!(e instanceof AwsCallError) || e.code !== "ResourceInUseException") throw e;
      const existing = await aws.eks.findAssociation(location, item.cluster, item.namespace, item.serviceAccount);
      if (existing && existing.roleArn === item.roleArn && (existing.targetRoleArn ?? null) === item.targetRoleArn) {
        return { ok: true, outcome: "adopted", associationId: existing.associationId, associationArn: existing.associationArn, externalId: existing.externalId, awsRequestId: e.requestId };
      }
      return {
        ok: false,
        errorCode: "ResourceInUseException",
        errorMessage: existing
          ? `${item.namespace}/${item.serviceAccount} on ${item.cluster} is already mapped to ${existing.roleArn} (association ${existing.associationId}), not to ${item.roleArn}. File an update request to change its role.`
          : `EKS says ${item.namespace}/${item.serviceAccount} already has an association, but none could be found: ${e.message}`,
        awsRequestId: e.requestId,
      };
    }
  }
  // Update / delete: the association must still be the one approved (cluster, namespace, SA, role), re-read by id right before the write.
  if (item.kind === "update" || item.kind === "delete") {
    if (!item.associationId) return { ok: false, errorCode: "NoAssociation", errorMessage: `${item.namespace}/${item.serviceAccount} on ${item.cluster} had no association when the request was filed: nothing to ${item.kind}.` };
    const current = await aws.eks.describeAssociation(location, item.cluster, item.associationId);
    // Already gone: a previous attempt deleted it before a crash (the goal is reached); an update has nothing to change.
    if (!current) {
      if (item.kind === "delete") return { ok: true, outcome: "deleted", associationId: item.associationId };
      return { ok: false, errorCode: "ResourceNotFoundException", errorMessage: `association ${item.associationId} on ${item.cluster} does not exist any more; file the request again` };
    }
    const ours = (c: { roleArn: string; namespace: string; serviceAccount: string }) =>
      item.kind === "update" && c.namespace === item.namespace && c.serviceAccount === item.serviceAccount && c.roleArn === item.roleArn;
    const mismatch = subjectMismatch(item, current, ours);
    if (mismatch) return { ok: false, errorCode: ASSOCIATION_CHANGED, errorMessage: mismatch };
  }
  if (item.kind === "update") {
    const r = await aws.writer.updateAssociation(location, {
      clusterName: item.cluster,
      associationId: item.associationId!,
      roleArn: item.roleArn ?? undefined,
      targetRoleArn: item.targetRoleArn ?? "",
      disableSessionTags: item.disableSessionTags,
      policy: item.sessionPolicy ?? "",
      clientRequestToken: item.clientRequestToken,
    });
    return { ok: true, outcome: "updated", ...r };
  }
  try {
    const r = await aws.writer.deleteAssociation(location, item.cluster, item.associationId!);
    return { ok: true, outcome: "deleted", ...r };
  } catch (e) {
    // Already gone (a previous attempt deleted it before a crash): the goal is reached.
    if (e instanceof AwsCallError && e.code === "ResourceNotFoundException") return { ok: true, outcome: "deleted", associationId: item.associationId!, awsRequestId: e.requestId };
    throw e;
  }
}

export async function applyItem(
  aws: RequestsGateway,
  location: AwsLocation,
  item: RequestItem,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<ItemOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await once(aws, location, item)), attempts: attempt };
    } catch (e) {
      if (isTransient(e) && attempt < backoff.tries) {
        await sleep(backoff.baseMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
        continue;
      }
      const err = e instanceof AwsCallError ? e : undefined;
      return {
        ok: false,
        errorCode: err?.code ?? "Error",
        errorMessage: err ? `${err.message}${isTransient(e) ? ` (after ${attempt} attempts)` : ""}` : (e as Error).message,
        awsRequestId: err?.requestId,
        attempts: attempt,
      };
    }
  }
}
