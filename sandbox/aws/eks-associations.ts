// EKS Pod Identity associations. Decisions where AWS documents little:
//  - roleArn must name an existing role in the cluster's account; targetRoleArn
//    an existing role in its own account (both InvalidParameterException);
//  - a reused clientRequestToken with identical parameters returns the existing
//    association; with different parameters -> InvalidRequestException
//    (EKS models no IdempotentParameterMismatch error);
//  - add-on owned associations (ownerArn) refuse update AND delete with
//    InvalidRequestException: they are managed through the add-on;
//  - "" for targetRoleArn / policy in an update clears it.
import type { SandboxAssociation, SandboxCluster } from "../model";
import { AwsError } from "./errors";
import { newAssociationId, uuidFrom } from "./ids";
import { encodeToken, paginate } from "./paging";
import { epochSeconds } from "./rest-json";
import {
  clusterOrThrow,
  invalidParameter,
  listParams,
  optionalBoolean,
  optionalString,
  requiredString,
  tagMap,
  type EksCall,
} from "./eks-common";

const MAX_ASSOCIATIONS_PER_CLUSTER = 1000;
export const MAX_SESSION_POLICY_CHARS = 2048;

/** ListPodIdentityAssociations' summary of an association. */
function summaryJson(a: SandboxAssociation) {
  return {
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    associationArn: a.associationArn,
    associationId: a.associationId,
    ownerArn: a.ownerArn,
  };
}

/**
 * The full association, as Create/Describe/Update/Delete answer it: the summary and the rest.
 * Assigned onto the summary, not spread from it: V8 built the spread object at about 13 us a call
 * against under 1 us assigned, and a busy sandbox answers thousands of Describes a second.
 */
function associationJson(a: SandboxAssociation) {
  return Object.assign(summaryJson(a), {
    roleArn: a.roleArn,
    tags: a.tags,
    createdAt: epochSeconds(a.createdAt),
    modifiedAt: epochSeconds(a.modifiedAt),
    disableSessionTags: a.disableSessionTags,
    targetRoleArn: a.targetRoleArn,
    externalId: a.externalId,
    policy: a.policy,
  });
}

function checkRole(call: EksCall, arn: string, member: "roleArn" | "targetRoleArn", clusterAccount: string): void {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  if (!m) throw invalidParameter(`${member} ${arn} is not a valid IAM role ARN`);
  if (member === "roleArn" && m[1] !== clusterAccount) {
    throw invalidParameter(`The role ${arn} must be in the same account as the cluster (${clusterAccount})`);
  }
  const role = call.ctx.world.accounts[m[1]!]?.roles[m[2]!];
  if (!role || role.arn !== arn) throw invalidParameter(`Role provided does not exist: ${arn}`);
}

function checkSessionPolicy(policy: string | undefined, disableSessionTags: boolean): void {
  if (policy === undefined) return;
  if (!disableSessionTags) {
    throw invalidParameter("A session policy can only be set when disableSessionTags is true");
  }
  if (policy.length > MAX_SESSION_POLICY_CHARS) {
    throw invalidParameter(`policy exceeds the maximum length of ${MAX_SESSION_POLICY_CHARS} characters`);
  }
  try {
    JSON.parse(policy);
  } catch {
    throw invalidParameter("policy is not a valid JSON policy document");
  }
}

function associationOrThrow(cluster: SandboxCluster, id: string): SandboxAssociation {
  const a = cluster.associations[id];
  if (!a) {
    throw new AwsError("ResourceNotFoundException", `No Pod Identity Association found for id: ${id}`, 404, {
      clusterName: cluster.name,
    });
  }
  return a;
}

function refuseOwned(a: SandboxAssociation, verb: string): void {
  if (a.ownerArn) {
    throw new AwsError(
      "InvalidRequestException",
      `Cannot ${verb} association ${a.associationId}: it is owned by ${a.ownerArn}; change it through the add-on`,
      400,
      { clusterName: a.clusterName },
    );
  }
}

export function createAssociation(call: EksCall, clusterName: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const b = call.body;
  const namespace = requiredString(b, "namespace");
  const serviceAccount = requiredString(b, "serviceAccount");
  const roleArn = requiredString(b, "roleArn");
  const targetRoleArn = optionalString(b, "targetRoleArn") || undefined;
  const disableSessionTags = optionalBoolean(b, "disableSessionTags") ?? false;
  const policy = optionalString(b, "policy") || undefined;
  const token = optionalString(b, "clientRequestToken");
  const tags = tagMap(b);

  if (token) {
    const previous = Object.values(cluster.associations).find((a) => a.clientRequestToken === token);
    if (previous) {
      const same =
        previous.namespace === namespace &&
        previous.serviceAccount === serviceAccount &&
        previous.roleArn === roleArn &&
        previous.targetRoleArn === targetRoleArn &&
        previous.disableSessionTags === disableSessionTags &&
        previous.policy === policy &&
        JSON.stringify(previous.tags) === JSON.stringify(tags);
      if (same) return { association: associationJson(previous) };
      throw new AwsError(
        "InvalidRequestException",
        `Client request token ${token} was already used with different parameters`,
        400,
        { clusterName },
      );
    }
  }
  checkRole(call, roleArn, "roleArn", cluster.accountId);
  if (targetRoleArn) checkRole(call, targetRoleArn, "targetRoleArn", cluster.accountId);
  checkSessionPolicy(policy, disableSessionTags);

  const existing = Object.values(cluster.associations).find(
    (a) => a.namespace === namespace && a.serviceAccount === serviceAccount,
  );
  if (existing) {
    throw new AwsError(
      "ResourceInUseException",
      `Association already exists: ${existing.associationId}`,
      409,
      { clusterName },
    );
  }
  if (Object.keys(cluster.associations).length >= MAX_ASSOCIATIONS_PER_CLUSTER) {
    throw new AwsError(
      "ResourceLimitExceededException",
      `Cluster ${clusterName} already has the maximum of ${MAX_ASSOCIATIONS_PER_CLUSTER} pod identity associations`,
      400,
      { clusterName },
    );
  }
  let associationId = newAssociationId();
  while (cluster.associations[associationId]) associationId = newAssociationId();
  const now = call.ctx.now().toISOString();
  const association: SandboxAssociation = {
    associationId,
    associationArn: `arn:aws:eks:${cluster.region}:${cluster.accountId}:podidentityassociation/${cluster.name}/${associationId}`,
    clusterName: cluster.name,
    namespace,
    serviceAccount,
    roleArn,
    targetRoleArn,
    externalId: targetRoleArn ? uuidFrom(associationId) : undefined,
    disableSessionTags,
    policy,
    tags,
    createdAt: now,
    modifiedAt: now,
    clientRequestToken: token || undefined,
  };
  cluster.associations[associationId] = association;
  call.ctx.changed();
  return { association: associationJson(association) };
}

export function describeAssociation(call: EksCall, clusterName: string, id: string) {
  return { association: associationJson(associationOrThrow(clusterOrThrow(call, clusterName), id)) };
}

export function listAssociations(call: EksCall, clusterName: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const { maxResults, after } = listParams(call);
  const ns = call.query.get("namespace");
  const sa = call.query.get("serviceAccount");
  const matching = Object.values(cluster.associations).filter(
    (a) => (!ns || a.namespace === ns) && (!sa || a.serviceAccount === sa),
  );
  const { page, nextKey } = paginate(matching, (a) => a.associationId, after, maxResults);
  return {
    associations: page.map(summaryJson),
    nextToken: nextKey !== undefined ? encodeToken(nextKey) : undefined,
  };
}

export function updateAssociation(call: EksCall, clusterName: string, id: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const a = associationOrThrow(cluster, id);
  const b = call.body;
  for (const immutable of ["namespace", "serviceAccount", "clusterName"] as const) {
    const v = b[immutable];
    const current = immutable === "clusterName" ? a.clusterName : a[immutable];
    if (v !== undefined && v !== current) {
      throw invalidParameter(`${immutable} cannot be updated; delete the association and create a new one`);
    }
  }
  refuseOwned(a, "update");
  const roleArn = optionalString(b, "roleArn") || a.roleArn;
  const rawTarget = optionalString(b, "targetRoleArn");
  const targetRoleArn = rawTarget === undefined ? a.targetRoleArn : rawTarget || undefined;
  const disableSessionTags = optionalBoolean(b, "disableSessionTags") ?? a.disableSessionTags;
  const rawPolicy = optionalString(b, "policy");
  const policy = rawPolicy === undefined ? a.policy : rawPolicy || undefined;

  checkRole(call, roleArn, "roleArn", cluster.accountId);
  if (targetRoleArn) checkRole(call, targetRoleArn, "targetRoleArn", cluster.accountId);
  checkSessionPolicy(policy, disableSessionTags);

  a.roleArn = roleArn;
  a.targetRoleArn = targetRoleArn;
  a.externalId = targetRoleArn ? (a.externalId ?? uuidFrom(a.associationId)) : undefined;
  a.disableSessionTags = disableSessionTags;
  a.policy = policy;
  a.modifiedAt = call.ctx.now().toISOString();
  call.ctx.changed();
  return { association: associationJson(a) };
}

export function deleteAssociation(call: EksCall, clusterName: string, id: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const a = associationOrThrow(cluster, id);
  refuseOwned(a, "delete");
  delete cluster.associations[id];
  call.ctx.changed();
  return { association: associationJson(a) };
}
