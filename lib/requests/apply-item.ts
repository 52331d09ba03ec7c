// Sends one item's AWS call, with exponential backoff on throttling and 5xx.
// Create is idempotent through the item's clientRequestToken; on
// ResourceInUseException the SA's existing association is adopted when it maps
// the same role, otherwise the item fails with a reason a person can act on.
// IAM items (lib/requests/iam-items.ts) write the role's trust or inline policy.
// These are the kinds lib/requests defines (requestItemKinds); other modules'
// kinds come with their own appliers through the registry (item-kinds.ts).
import { AwsCallError, type AwsLocation } from "@/lib/aws/types";
import type { RequestItem } from "@/lib/db/generated/client";
import { IAM_ITEM_KINDS } from "./iam-items";
import type { ApplyContext, ItemApplier, ItemKind, ItemKinds, ItemOutcome } from "./item-kinds";
import { itemTags } from "./preview";
import { ASSOCIATION_CHANGED, subjectMismatch } from "./subject";
import { nodePolicyChangedMessage, policyHash, trustChangedMessage, trustHash, TRUST_CHANGED, NODE_POLICY_CHANGED } from "./trust-guard";

const THROTTLING = /throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i;

export function isTransient(e: unknown): boolean {
  return e instanceof AwsCallError && (e.retryable || THROTTLING.test(e.code) || (e.httpStatus ?? 0) >= 500 || e.httpStatus === 429);
}

export interface BackoffOptions {
  tries: number;
  baseMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { tries: 4, baseMs: 250 };

function emptyStatement(document: string | null): boolean {
  try {
    const st = (JSON.parse(document ?? "{}") as { Statement?: unknown }).Statement;
    return st === undefined || (Array.isArray(st) && st.length === 0);
  } catch {
    return false;
  }
}

const trustUpdate: ItemApplier = async ({ aws }, location, item) => {
  // Never an empty trust: "Statement": [] would lock everyone out of the role (deleting a role is its own request).
  if (emptyStatement(item.iamPolicyDocument)) {
    return { ok: false, errorCode: "EmptyTrustPolicy", errorMessage: `The new trust policy of ${item.roleArn} has no statement: refused (it would lock everyone out of the role; delete the role with its own request instead).` };
  }
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
};

const nodeRolePolicy: ItemApplier = async ({ aws }, location, item) => {
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
};

/**
 * Adopt (drift): no AWS write. The association approved (its id, described at filing)
 * must still exist and still be what was approved: the same SA, role and target role.
 * Looked up by id, not by SA: one deleted and re-created out of band has another id and
 * is not what the reviewers saw, even when it maps the same role.
 */
const adopt: ItemApplier = async ({ aws }, location, item) => {
  if (!item.associationId) return { ok: false, errorCode: "AdoptMismatch", errorMessage: `Request item ${item.id} names no association to adopt: nothing recorded.` };
  const current = await aws.eks.describeAssociation(location, item.cluster, item.associationId);
  const same =
    current && current.associationId === item.associationId && current.namespace === item.namespace && current.serviceAccount === item.serviceAccount &&
    current.roleArn === item.roleArn && (current.targetRoleArn ?? null) === item.targetRoleArn;
  if (same) return { ok: true, outcome: "adopted", associationId: current.associationId, associationArn: current.associationArn, externalId: current.externalId };
  const approved = `association ${item.associationId} on ${item.cluster} (${item.namespace}/${item.serviceAccount} -> ${item.roleArn})`;
  return {
    ok: false,
    errorCode: "AdoptMismatch",
    errorMessage: current
      ? `${approved} was approved for adoption but is now ${current.namespace}/${current.serviceAccount} -> ${current.roleArn}${current.targetRoleArn ? ` (target ${current.targetRoleArn})` : ""}: nothing recorded. Look at /drift again.`
      : `${approved} does not exist any more (deleted, or replaced by another association): nothing recorded. Look at /drift again.`,
  };
};

const create: ItemApplier = async ({ aws }, location, item) => {
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
};

/**
 * Update / delete: the association must still be the one approved (cluster, namespace, SA, role),
 * re-read by id right before the write. Returns the outcome that stops the write, or null to go on.
 */
async function approvedSubjectGone(aws: ApplyContext["aws"], location: AwsLocation, item: RequestItem): Promise<Omit<ItemOutcome, "attempts"> | null> {
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
  return mismatch ? { ok: false, errorCode: ASSOCIATION_CHANGED, errorMessage: mismatch } : null;
}

const update: ItemApplier = async ({ aws }, location, item) => {
  const stop = await approvedSubjectGone(aws, location, item);
  if (stop) return stop;
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
};

const remove: ItemApplier = async ({ aws }, location, item) => {
  const stop = await approvedSubjectGone(aws, location, item);
  if (stop) return stop;
  try {
    const r = await aws.writer.deleteAssociation(location, item.cluster, item.associationId!);
    return { ok: true, outcome: "deleted", ...r };
  } catch (e) {
    // Already gone (a previous attempt deleted it before a crash): the goal is reached.
    if (e instanceof AwsCallError && e.code === "ResourceNotFoundException") return { ok: true, outcome: "deleted", associationId: item.associationId!, awsRequestId: e.requestId };
    throw e;
  }
};

const [TRUST_UPDATE, NODE_ROLE_POLICY] = IAM_ITEM_KINDS;

/** The kinds lib/requests defines: the association writes, adopt, and the IAM changes (IAM team approval, applied first). */
export const requestItemKinds: readonly ItemKind[] = [
  { kind: "create", apply: create, prechecks: "association", approval: "policy", establishesMapping: "association", timeBound: true },
  { kind: "update", apply: update, prechecks: "association", approval: "policy", establishesMapping: "association", timeBound: true },
  { kind: "delete", apply: remove, prechecks: "association", approval: "policy", removesMapping: "association" },
  { kind: "adopt", apply: adopt, prechecks: "none", approval: "policy", establishesMapping: "association" },
  { kind: TRUST_UPDATE, apply: trustUpdate, prechecks: "none", approval: "iam-team", appliedFirst: true, establishesMapping: "trust" },
  { kind: NODE_ROLE_POLICY, apply: nodeRolePolicy, prechecks: "none", approval: "iam-team", appliedFirst: true },
];

/** A kind this process has no applier for (e.g. "restart-pods" without Kubernetes access): the item fails, nothing is sent. */
function notConfigured(item: RequestItem): Omit<ItemOutcome, "attempts"> {
  return { ok: false, errorCode: "NotConfigured", errorMessage: `Items of kind ${item.kind} are not configured in this process (e.g. no Kubernetes access for pod restarts).` };
}

export async function applyItem(
  ctx: ApplyContext,
  kinds: ItemKinds,
  location: AwsLocation,
  item: RequestItem,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<ItemOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const kind = kinds.get(item.kind);
      return { ...(await (kind ? kind.apply(ctx, location, item) : notConfigured(item))), attempts: attempt };
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

export type { ItemOutcome };
