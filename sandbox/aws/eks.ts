// EKS over restJson1: routes (method, path) to operations, as the installed
// @aws-sdk/client-eks serialises them, and implements the cluster, node group
// and add-on reads plus a minimal CreateCluster/DeleteCluster (used by the moto
// differential test and by scripts that want an extra cluster).
import type { SandboxContext } from "../context";
import type { SandboxCluster, SandboxFargateProfile, SandboxNodegroup, SandboxAddon } from "../model";
import type { Caller } from "./accounts";
import { AwsError } from "./errors";
import { hexHash } from "./ids";
import { encodeToken, paginate } from "./paging";
import { epochSeconds, jsonError, jsonResult, parseJsonBody } from "./rest-json";
import {
  createAssociation,
  deleteAssociation,
  describeAssociation,
  listAssociations,
  updateAssociation,
} from "./eks-associations";
import {
  associateAccessPolicy,
  createAccessEntry,
  deleteAccessEntry,
  describeAccessEntry,
  disassociateAccessPolicy,
  listAccessEntries,
  listAccessPolicies,
  listAssociatedAccessPolicies,
  newAccessEntry,
} from "./eks-access";
import { clusterOrThrow, clustersOf, invalidParameter, listParams, requiredString, tagMap, type EksCall } from "./eks-common";
import type { AwsRequest, AwsResponse, RoutedCall } from "./wire";

function clusterJson(c: SandboxCluster) {
  return {
    name: c.name,
    arn: c.arn,
    createdAt: epochSeconds(c.createdAt),
    version: c.version,
    endpoint: c.endpoint,
    roleArn: c.roleArn,
    resourcesVpcConfig: {
      subnetIds: [`subnet-${hexHash(c.arn + "a", 17)}`, `subnet-${hexHash(c.arn + "b", 17)}`],
      securityGroupIds: [],
      clusterSecurityGroupId: `sg-${hexHash(c.arn + "sg", 17)}`,
      vpcId: `vpc-${hexHash(c.arn + "vpc", 17)}`,
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ["0.0.0.0/0"],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: "10.100.0.0/16",
      ipFamily: "ipv4",
      // Auto Mode clusters report its three capabilities together, as EKS requires them enabled together.
      ...(c.autoMode?.enabled ? { elasticLoadBalancing: { enabled: true } } : {}),
    },
    ...(c.autoMode?.enabled
      ? {
          computeConfig: { enabled: true, nodePools: [...c.autoMode.nodePools], ...(c.autoMode.nodeRoleArn ? { nodeRoleArn: c.autoMode.nodeRoleArn } : {}) },
          storageConfig: { blockStorage: { enabled: true } },
        }
      : {}),
    identity: { oidc: { issuer: c.oidcIssuer } },
    status: c.status,
    certificateAuthority: { data: Buffer.from(`sandbox-ca-${c.arn}`).toString("base64") },
    platformVersion: "eks.12",
    tags: c.tags,
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
  };
}

function nodegroupJson(c: SandboxCluster, n: SandboxNodegroup) {
  return {
    nodegroupName: n.nodegroupName,
    nodegroupArn: n.nodegroupArn,
    clusterName: c.name,
    version: c.version,
    releaseVersion: `${c.version}.0-20261101`,
    createdAt: epochSeconds(n.createdAt),
    modifiedAt: epochSeconds(n.createdAt),
    status: n.status,
    capacityType: "ON_DEMAND",
    scalingConfig: n.scalingConfig,
    instanceTypes: n.instanceTypes,
    subnets: [],
    amiType: n.amiType ?? "AL2023_x86_64_STANDARD",
    nodeRole: n.nodeRole,
    labels: { ...(n.labels ?? {}) },
    health: { issues: [] },
    tags: {},
  };
}

function addonJson(c: SandboxCluster, a: SandboxAddon) {
  return {
    addonName: a.addonName,
    clusterName: c.name,
    status: a.status,
    addonVersion: a.addonVersion,
    health: { issues: [] },
    addonArn: a.addonArn,
    createdAt: epochSeconds(a.createdAt),
    modifiedAt: epochSeconds(a.modifiedAt),
    tags: {},
    podIdentityAssociations: Object.values(c.associations)
      .filter((x) => x.ownerArn === a.addonArn)
      .map((x) => x.associationArn),
  };
}

function fargateProfileJson(c: SandboxCluster, f: SandboxFargateProfile) {
  return {
    fargateProfileName: f.fargateProfileName,
    fargateProfileArn: f.fargateProfileArn,
    clusterName: c.name,
    createdAt: epochSeconds(f.createdAt),
    podExecutionRoleArn: f.podExecutionRoleArn,
    subnets: [...f.subnets],
    selectors: f.selectors.map((sel) => ({ namespace: sel.namespace, ...(sel.labels ? { labels: { ...sel.labels } } : {}) })),
    status: f.status,
    tags: { ...f.tags },
    health: { issues: [] },
  };
}

function listNames(call: EksCall, names: string[], key: string) {
  const { maxResults, after } = listParams(call);
  const { page, nextKey } = paginate(names, (n) => n, after, maxResults);
  return { [key]: page, nextToken: nextKey !== undefined ? encodeToken(nextKey) : undefined };
}

function createCluster(call: EksCall) {
  const name = requiredString(call.body, "name");
  const roleArn = requiredString(call.body, "roleArn");
  if (!call.body.resourcesVpcConfig || typeof call.body.resourcesVpcConfig !== "object") {
    throw invalidParameter("resourcesVpcConfig is required");
  }
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(name)) throw invalidParameter(`Invalid cluster name: ${name}`);
  const account = call.ctx.world.accounts[call.caller.accountId];
  if (!account) throw new AwsError("AccessDeniedException", "Unknown account", 403);
  const region = (account.regions[call.region] ??= { clusters: {} });
  if (region.clusters[name]) {
    throw new AwsError("ResourceInUseException", `Cluster already exists with name: ${name}`, 409, { clusterName: name });
  }
  const arn = `arn:aws:eks:${call.region}:${account.accountId}:cluster/${name}`;
  const id = hexHash(arn, 32).toUpperCase();
  const now = call.ctx.now().toISOString();
  const version = typeof call.body.version === "string" ? call.body.version : "1.31";
  const kubeNs = (n: string) => ({ name: n, uid: hexHash(`${arn}/ns/${n}`, 32), creationTimestamp: now, labels: {} });
  const cluster: SandboxCluster = {
    name,
    arn,
    region: call.region,
    accountId: account.accountId,
    version,
    status: "ACTIVE",
    createdAt: now,
    oidcIssuer: `https://oidc.eks.${call.region}.amazonaws.com/id/${id}`,
    endpoint: `https://${id}.gr7.${call.region}.eks.amazonaws.com`,
    roleArn,
    tags: tagMap(call.body),
    nodegroups: {},
    addons: {},
    associations: {},
    kube: {
      namespaces: { default: kubeNs("default"), "kube-system": kubeNs("kube-system") },
      serviceAccounts: {},
      pods: {},
    },
  };
  // bootstrapClusterCreatorAdminPermissions (EKS's default): the creator gets cluster admin.
  if (call.body.accessConfig === undefined || (call.body.accessConfig as { bootstrapClusterCreatorAdminPermissions?: unknown }).bootstrapClusterCreatorAdminPermissions !== false) {
    const creator = call.caller.assumedRole?.roleArn ?? call.caller.arn;
    cluster.accessEntries = { [creator]: newAccessEntry(cluster, creator, now, { policies: ["AmazonEKSClusterAdminPolicy"] }) };
  }
  region.clusters[name] = cluster;
  call.ctx.changed();
  return { cluster: clusterJson(cluster) };
}

function deleteCluster(call: EksCall, name: string) {
  const cluster = clusterOrThrow(call, name);
  if (Object.keys(cluster.nodegroups).length > 0) {
    throw new AwsError("ResourceInUseException", "Cluster has nodegroups attached", 409, { clusterName: name });
  }
  delete clustersOf(call)![name];
  call.ctx.changed();
  return { cluster: { ...clusterJson(cluster), status: "DELETING" } };
}

type Handler = (call: EksCall, seg: string[]) => unknown;

/** Describe<Child> of clusters/<name>/<children>/<id>: the child, or EKS's ResourceNotFoundException (each with its own wording). */
function describeChild<T>(call: EksCall, seg: string[], children: (c: SandboxCluster) => Record<string, T> | undefined, missing: { message: string; idField: string }, answer: (c: SandboxCluster, child: T) => unknown) {
  const cluster = clusterOrThrow(call, seg[1]!);
  const child = children(cluster)?.[seg[3]!];
  if (!child) throw new AwsError("ResourceNotFoundException", missing.message, 404, { clusterName: seg[1], [missing.idField]: seg[3] });
  return answer(cluster, child);
}
interface Route {
  method: string;
  pattern: string[]; // "*" matches one path segment
  operation: string;
  handler: Handler;
}

const routes: Route[] = [
  { method: "GET", pattern: ["clusters"], operation: "ListClusters", handler: (c) => listNames(c, Object.keys(clustersOf(c) ?? {}), "clusters") },
  { method: "POST", pattern: ["clusters"], operation: "CreateCluster", handler: (c) => createCluster(c) },
  { method: "GET", pattern: ["clusters", "*"], operation: "DescribeCluster", handler: (c, s) => ({ cluster: clusterJson(clusterOrThrow(c, s[1]!)) }) },
  { method: "DELETE", pattern: ["clusters", "*"], operation: "DeleteCluster", handler: (c, s) => deleteCluster(c, s[1]!) },
  {
    method: "GET", pattern: ["clusters", "*", "node-groups"], operation: "ListNodegroups",
    handler: (c, s) => listNames(c, Object.keys(clusterOrThrow(c, s[1]!).nodegroups), "nodegroups"),
  },
  {
    method: "GET", pattern: ["clusters", "*", "node-groups", "*"], operation: "DescribeNodegroup",
    handler: (c, s) => describeChild(c, s, (cl) => cl.nodegroups, { message: `No node group found for name: ${s[3]}.`, idField: "nodegroupName" }, (cl, ng) => ({ nodegroup: nodegroupJson(cl, ng) })),
  },
  {
    method: "GET", pattern: ["clusters", "*", "addons"], operation: "ListAddons",
    handler: (c, s) => listNames(c, Object.keys(clusterOrThrow(c, s[1]!).addons), "addons"),
  },
  {
    method: "GET", pattern: ["clusters", "*", "addons", "*"], operation: "DescribeAddon",
    handler: (c, s) => describeChild(c, s, (cl) => cl.addons, { message: `No addon: ${s[3]} found in cluster: ${s[1]}`, idField: "addonName" }, (cl, a) => ({ addon: addonJson(cl, a) })),
  },
  {
    method: "GET", pattern: ["clusters", "*", "fargate-profiles"], operation: "ListFargateProfiles",
    handler: (c, s) => listNames(c, Object.keys(clusterOrThrow(c, s[1]!).fargateProfiles ?? {}), "fargateProfileNames"),
  },
  {
    method: "GET", pattern: ["clusters", "*", "fargate-profiles", "*"], operation: "DescribeFargateProfile",
    handler: (c, s) => describeChild(c, s, (cl) => cl.fargateProfiles, { message: `No Fargate Profile found with name: ${s[3]}.`, idField: "fargateProfileName" }, (cl, p) => ({ fargateProfile: fargateProfileJson(cl, p) })),
  },
  { method: "GET", pattern: ["clusters", "*", "pod-identity-associations"], operation: "ListPodIdentityAssociations", handler: (c, s) => listAssociations(c, s[1]!) },
  { method: "POST", pattern: ["clusters", "*", "pod-identity-associations"], operation: "CreatePodIdentityAssociation", handler: (c, s) => createAssociation(c, s[1]!) },
  { method: "GET", pattern: ["clusters", "*", "pod-identity-associations", "*"], operation: "DescribePodIdentityAssociation", handler: (c, s) => describeAssociation(c, s[1]!, s[3]!) },
  { method: "POST", pattern: ["clusters", "*", "pod-identity-associations", "*"], operation: "UpdatePodIdentityAssociation", handler: (c, s) => updateAssociation(c, s[1]!, s[3]!) },
  { method: "DELETE", pattern: ["clusters", "*", "pod-identity-associations", "*"], operation: "DeletePodIdentityAssociation", handler: (c, s) => deleteAssociation(c, s[1]!, s[3]!) },
  { method: "GET", pattern: ["clusters", "*", "access-entries"], operation: "ListAccessEntries", handler: (c, s) => listAccessEntries(c, s[1]!) },
  { method: "POST", pattern: ["clusters", "*", "access-entries"], operation: "CreateAccessEntry", handler: (c, s) => createAccessEntry(c, s[1]!) },
  { method: "GET", pattern: ["clusters", "*", "access-entries", "*"], operation: "DescribeAccessEntry", handler: (c, s) => describeAccessEntry(c, s[1]!, s[3]!) },
  { method: "DELETE", pattern: ["clusters", "*", "access-entries", "*"], operation: "DeleteAccessEntry", handler: (c, s) => deleteAccessEntry(c, s[1]!, s[3]!) },
  {
    method: "GET", pattern: ["clusters", "*", "access-entries", "*", "access-policies"], operation: "ListAssociatedAccessPolicies",
    handler: (c, s) => listAssociatedAccessPolicies(c, s[1]!, s[3]!),
  },
  {
    method: "POST", pattern: ["clusters", "*", "access-entries", "*", "access-policies"], operation: "AssociateAccessPolicy",
    handler: (c, s) => associateAccessPolicy(c, s[1]!, s[3]!),
  },
  {
    method: "DELETE", pattern: ["clusters", "*", "access-entries", "*", "access-policies", "*"], operation: "DisassociateAccessPolicy",
    handler: (c, s) => disassociateAccessPolicy(c, s[1]!, s[3]!, s[5]!),
  },
  { method: "GET", pattern: ["access-policies"], operation: "ListAccessPolicies", handler: (c) => listAccessPolicies(c) },
];

function segments(path: string): string[] {
  return path.split("/").filter((s) => s !== "").map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

export function routeEks(ctx: SandboxContext, caller: Caller, req: AwsRequest): RoutedCall {
  const seg = segments(req.path);
  const route = routes.find(
    (r) => r.method === req.method && r.pattern.length === seg.length && r.pattern.every((p, i) => p === "*" || p === seg[i]),
  );
  if (!route) {
    throw new AwsError("UnknownOperationException", `No EKS operation for ${req.method} ${req.path}`, 404);
  }
  const routed: RoutedCall = {
    operation: route.operation,
    cluster: seg[0] === "clusters" && seg.length >= 2 ? seg[1] : undefined,
    execute: () => {
      const call: EksCall = { ctx, caller, region: req.region, query: req.query, body: parseJsonBody(req.body) };
      routed.result = route.handler(call, seg);
      return jsonResult(routed.result);
    },
  };
  return routed;
}

export function eksError(err: AwsError): AwsResponse {
  return jsonError(err);
}
