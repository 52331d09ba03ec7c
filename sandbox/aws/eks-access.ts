// EKS access entries and access policies (authenticationMode API): who may call
// a cluster's Kubernetes API and with which AWS-managed access policy. Shapes,
// messages and error codes follow the EKS API (restJson1); the Kubernetes
// emulator (sandbox/kube/authz.ts) decides requests from the same data.
import type { SandboxAccessEntry, SandboxAccessPolicyAssociation, SandboxCluster } from "../model";
import { AwsError } from "./errors";
import { uuidFrom } from "./ids";
import { encodeToken, paginate } from "./paging";
import { epochSeconds } from "./rest-json";
import { clusterOrThrow, invalidParameter, listParams, optionalString, tagMap, type EksCall } from "./eks-common";

export const ACCESS_POLICY_PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
/** The AWS-managed access policies EKS offers (ListAccessPolicies). */
export const ACCESS_POLICY_NAMES = [
  "AmazonEKSAdminPolicy",
  "AmazonEKSAdminViewPolicy",
  "AmazonEKSClusterAdminPolicy",
  "AmazonEKSEditPolicy",
  "AmazonEKSViewPolicy",
] as const;

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(user|role)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const ENTRY_TYPES = ["STANDARD", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX"] as const;

function parsePrincipal(arn: string): { accountId: string; kind: "user" | "role"; name: string } {
  const m = PRINCIPAL_ARN.exec(arn);
  if (!m || m[1] !== "iam") throw invalidParameter("The principalArn parameter format is not valid");
  return { accountId: m[2]!, kind: m[3] as "user" | "role", name: m[4]! };
}

export function accessEntryArn(cluster: SandboxCluster, principalArn: string): string {
  const p = parsePrincipal(principalArn);
  return `arn:aws:eks:${cluster.region}:${cluster.accountId}:access-entry/${cluster.name}/${p.kind}/${p.accountId}/${p.name}/${uuidFrom(`${cluster.arn}|${principalArn}`)}`;
}

/** A new access entry; `policies` grants at creation (the cluster creator's admin entry). */
export function newAccessEntry(
  cluster: SandboxCluster,
  principalArn: string,
  now: string,
  opts: { kubernetesGroups?: string[]; username?: string; type?: SandboxAccessEntry["type"]; tags?: Record<string, string>; policies?: string[] } = {},
): SandboxAccessEntry {
  const policies: Record<string, SandboxAccessPolicyAssociation> = {};
  for (const name of opts.policies ?? []) {
    const policyArn = ACCESS_POLICY_PREFIX + name;
    policies[policyArn] = { policyArn, accessScope: { type: "cluster", namespaces: [] }, associatedAt: now, modifiedAt: now };
  }
  return {
    principalArn,
    accessEntryArn: accessEntryArn(cluster, principalArn),
    kubernetesGroups: opts.kubernetesGroups ?? [],
    // EKS's default username: the ARN, or the assumed-role form with the session name for roles.
    username: opts.username ?? (principalArn.includes(":role/") ? `${principalArn.replace(":iam::", ":sts::").replace(/:role\/(?:.*\/)?([^/]+)$/, ":assumed-role/$1")}/{{SessionName}}` : principalArn),
    type: opts.type ?? "STANDARD",
    createdAt: now,
    modifiedAt: now,
    tags: opts.tags ?? {},
    policies,
  };
}

function entryJson(cluster: SandboxCluster, e: SandboxAccessEntry) {
  return {
    clusterName: cluster.name,
    principalArn: e.principalArn,
    kubernetesGroups: e.kubernetesGroups,
    accessEntryArn: e.accessEntryArn,
    createdAt: epochSeconds(e.createdAt),
    modifiedAt: epochSeconds(e.modifiedAt),
    tags: e.tags,
    username: e.username,
    type: e.type,
  };
}

function associationJson(a: SandboxAccessPolicyAssociation) {
  return { policyArn: a.policyArn, accessScope: a.accessScope, associatedAt: epochSeconds(a.associatedAt), modifiedAt: epochSeconds(a.modifiedAt) };
}

function entryOrThrow(cluster: SandboxCluster, principalArn: string): SandboxAccessEntry {
  const entry = cluster.accessEntries?.[principalArn];
  if (!entry) {
    throw new AwsError(
      "ResourceNotFoundException",
      `The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`,
      404,
      { clusterName: cluster.name },
    );
  }
  return entry;
}

function stringList(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw invalidParameter(`${name} must be a list of strings`);
  return v as string[];
}

function policyArnOf(raw: string): string {
  const name = raw.startsWith(ACCESS_POLICY_PREFIX) ? raw.slice(ACCESS_POLICY_PREFIX.length) : undefined;
  if (!name || !(ACCESS_POLICY_NAMES as readonly string[]).includes(name)) {
    throw new AwsError("ResourceNotFoundException", `The specified policyArn ${raw} could not be found.`, 404);
  }
  return raw;
}

export function createAccessEntry(call: EksCall, clusterName: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const principalArn = optionalString(call.body, "principalArn");
  if (!principalArn) throw invalidParameter("principalArn is required and cannot be empty", { clusterName });
  parsePrincipal(principalArn);
  const type = optionalString(call.body, "type") ?? "STANDARD";
  if (!(ENTRY_TYPES as readonly string[]).includes(type)) throw invalidParameter(`The type ${type} is not valid. Valid types: ${ENTRY_TYPES.join(", ")}`, { clusterName });
  const groups = stringList(call.body, "kubernetesGroups");
  if (groups.some((g) => g.startsWith("system:"))) throw invalidParameter("The kubernetes group name system:* is reserved", { clusterName });
  const entries = (cluster.accessEntries ??= {});
  if (entries[principalArn]) {
    throw new AwsError("ResourceInUseException", "The specified access entry resource is already in use on this cluster.", 409, { clusterName });
  }
  const username = optionalString(call.body, "username");
  const entry = newAccessEntry(cluster, principalArn, call.ctx.now().toISOString(), {
    kubernetesGroups: groups,
    ...(username ? { username } : {}),
    type: type as SandboxAccessEntry["type"],
    tags: tagMap(call.body),
  });
  entries[principalArn] = entry;
  call.ctx.changed();
  return { accessEntry: entryJson(cluster, entry) };
}

export function describeAccessEntry(call: EksCall, clusterName: string, principalArn: string) {
  const cluster = clusterOrThrow(call, clusterName);
  return { accessEntry: entryJson(cluster, entryOrThrow(cluster, principalArn)) };
}

export function deleteAccessEntry(call: EksCall, clusterName: string, principalArn: string) {
  const cluster = clusterOrThrow(call, clusterName);
  entryOrThrow(cluster, principalArn);
  delete cluster.accessEntries![principalArn];
  call.ctx.changed();
  return {};
}

export function listAccessEntries(call: EksCall, clusterName: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const filter = call.query.get("associatedPolicyArn");
  const all = Object.values(cluster.accessEntries ?? {}).filter((e) => !filter || e.policies[filter]);
  const { maxResults, after } = listParams(call);
  const { page, nextKey } = paginate(all.map((e) => e.principalArn), (a) => a, after, maxResults);
  return { accessEntries: page, nextToken: nextKey !== undefined ? encodeToken(nextKey) : undefined };
}

export function associateAccessPolicy(call: EksCall, clusterName: string, principalArn: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const entry = entryOrThrow(cluster, principalArn);
  const policyArn = policyArnOf(optionalString(call.body, "policyArn") ?? "");
  const scope = call.body.accessScope as { type?: unknown; namespaces?: unknown } | undefined;
  if (!scope || typeof scope !== "object") throw invalidParameter("accessScope is required", { clusterName });
  if (scope.type !== "cluster" && scope.type !== "namespace") throw invalidParameter("accessScope.type must be cluster or namespace", { clusterName });
  const namespaces = stringList(scope as Record<string, unknown>, "namespaces");
  if (scope.type === "namespace" && namespaces.length === 0) throw invalidParameter("Namespaces must be specified for namespace access scope", { clusterName });
  if (scope.type === "cluster" && namespaces.length > 0) throw invalidParameter("Namespaces cannot be specified for cluster access scope", { clusterName });
  const now = call.ctx.now().toISOString();
  const previous = entry.policies[policyArn];
  const association: SandboxAccessPolicyAssociation = { policyArn, accessScope: { type: scope.type, namespaces }, associatedAt: previous?.associatedAt ?? now, modifiedAt: now };
  entry.policies[policyArn] = association;
  entry.modifiedAt = now;
  call.ctx.changed();
  return { clusterName, principalArn, associatedAccessPolicy: associationJson(association) };
}

export function listAssociatedAccessPolicies(call: EksCall, clusterName: string, principalArn: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const entry = entryOrThrow(cluster, principalArn);
  const { maxResults, after } = listParams(call);
  const { page, nextKey } = paginate(Object.values(entry.policies), (a) => a.policyArn, after, maxResults);
  return { clusterName, principalArn, associatedAccessPolicies: page.map(associationJson), nextToken: nextKey !== undefined ? encodeToken(nextKey) : undefined };
}

export function disassociateAccessPolicy(call: EksCall, clusterName: string, principalArn: string, policyArn: string) {
  const cluster = clusterOrThrow(call, clusterName);
  const entry = entryOrThrow(cluster, principalArn);
  if (!entry.policies[policyArn]) {
    throw new AwsError("ResourceNotFoundException", `The specified policyArn ${policyArn} is not associated with the principalArn.`, 404, { clusterName });
  }
  delete entry.policies[policyArn];
  entry.modifiedAt = call.ctx.now().toISOString();
  call.ctx.changed();
  return {};
}

export function listAccessPolicies(call: EksCall) {
  const { maxResults, after } = listParams(call);
  const { page, nextKey } = paginate([...ACCESS_POLICY_NAMES], (n) => n, after, maxResults);
  return { accessPolicies: page.map((name) => ({ name, arn: ACCESS_POLICY_PREFIX + name })), nextToken: nextKey !== undefined ? encodeToken(nextKey) : undefined };
}
