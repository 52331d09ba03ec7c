// Amazon EKS, as plain data: clusters and Pod Identity associations (EksGateway,
// the inventory and the mappings refresh), node groups and add-ons
// (EksInventoryGateway), the request workflow's lookups (EksLookup) and its
// association writes, each with an idempotency token (EksWriter: retries are the
// caller's job, so it is given a pool view without SDK retries).
import { CreatePodIdentityAssociationCommand, DeletePodIdentityAssociationCommand, DescribeAddonCommand, DescribeClusterCommand, DescribeFargateProfileCommand, type Cluster, DescribeNodegroupCommand, DescribePodIdentityAssociationCommand, ListAddonsCommand, ListClustersCommand, ListFargateProfilesCommand, ListNodegroupsCommand, ListPodIdentityAssociationsCommand, type PodIdentityAssociation, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import type { AwsClientPool } from "./clients";
import { allPages, awsCall, toAwsCallError } from "./errors";
import { LightThrottled, lightGetJson } from "./light-get";
import { AwsCallError } from "./types";
import type { AddonInfo, AssociationDetail, AssociationSummary, AwsLocation, ClusterInfo, FargateProfileInfo, NodegroupInfo } from "./types";

/** Every name an EKS List* call returns (clusters, node groups, add-ons) under `key`, page after page. */
function allNames<K extends string>(operation: string, key: K, page: (nextToken: string | undefined) => Promise<{ [P in K]?: string[] } & { nextToken?: string }>): Promise<string[]> {
  return allPages(async (nextToken) => {
    const out = await awsCall(operation, () => page(nextToken));
    return { items: out[key] ?? [], next: out.nextToken };
  });
}

export interface EksGatewayOptions {
  /**
   * Describe associations with one signed GET and JSON.parse (light-get.ts), falling back to the
   * SDK's `send` for anything but a 200: about a third of the client CPU per call. Default true; the
   * benchmark's baseline (today's scanner) turns it off.
   */
  lightDescribe?: boolean;
}

export class EksGateway {
  private readonly lightDescribe: boolean;

  constructor(
    private readonly pool: AwsClientPool,
    options: EksGatewayOptions = {},
  ) {
    this.lightDescribe = options.lightDescribe ?? true;
  }

  async listClusterNames(location: AwsLocation): Promise<string[]> {
    return allNames("ListClusters", "clusters", (nextToken) => this.pool.eksFor(location).send(new ListClustersCommand({ maxResults: 100, nextToken })));
  }

  async describeCluster(location: AwsLocation, name: string): Promise<ClusterInfo> {
    const out = await this.call("DescribeCluster", () =>
      this.pool.eksFor(location).send(new DescribeClusterCommand({ name })),
    );
    return toClusterInfo(name, out.cluster);
  }

  async listAssociations(location: AwsLocation, clusterName: string): Promise<AssociationSummary[]> {
    const all: AssociationSummary[] = [];
    for await (const page of this.associationPages(location, clusterName)) all.push(...page);
    return all;
  }

  /**
   * The cluster's associations a page (`pageSize`, at most EKS's 100) at a time, as EKS returns them:
   * the scanner describes a page's associations while the next one is read.
   * `beforePage` runs before each call (the scanner's rate limiter).
   */
  async *associationPages(location: AwsLocation, clusterName: string, beforePage?: () => Promise<void>, pageSize = 100): AsyncGenerator<AssociationSummary[]> {
    let nextToken: string | undefined;
    do {
      await beforePage?.();
      const out = await this.call("ListPodIdentityAssociations", () =>
        this.pool.eksFor(location).send(new ListPodIdentityAssociationsCommand({ clusterName, maxResults: pageSize, nextToken })),
      );
      yield (out.associations ?? []).flatMap((a): AssociationSummary[] =>
        !a.associationId || !a.associationArn || !a.namespace || !a.serviceAccount
          ? []
          : [{ associationId: a.associationId, associationArn: a.associationArn, clusterName: a.clusterName ?? clusterName, namespace: a.namespace, serviceAccount: a.serviceAccount, ownerArn: a.ownerArn }],
      );
      nextToken = out.nextToken;
    } while (nextToken);
  }

  /**
   * One association. `paced`: the caller paces its own retries of a throttled call (the scanner's
   * limiters), so a throttled light GET is thrown as AwsCallError at once instead of being made
   * again through the SDK, whose first retry follows the throttle with no pause.
   */
  async describeAssociation(location: AwsLocation, clusterName: string, associationId: string, opts: { paced?: boolean } = {}): Promise<AssociationDetail> {
    const client = this.pool.eksFor(location);
    if (this.lightDescribe) {
      const path = `/clusters/${encodeURIComponent(clusterName)}/pod-identity-associations/${encodeURIComponent(associationId)}`;
      const body = await lightGetJson(this.pool, client, { service: "eks", operation: "DescribePodIdentityAssociation", clusterName }, path);
      if (body instanceof LightThrottled) {
        if (opts.paced) throw new AwsCallError("DescribePodIdentityAssociation", body.code, "Rate exceeded", body.httpStatus, undefined, true);
      } else {
        const detail = toAssociationDetail(associationFromJson((body as { association?: unknown } | undefined)?.association), clusterName);
        if (detail) return detail;
      }
    }
    const out = await this.call("DescribePodIdentityAssociation", () => client.send(new DescribePodIdentityAssociationCommand({ clusterName, associationId })));
    const detail = toAssociationDetail(out.association, clusterName);
    if (!detail) throw new Error(`DescribePodIdentityAssociation ${associationId} returned an incomplete association`);
    return detail;
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return awsCall(operation, fn);
  }
}

const jsonDate = (v: unknown): Date | undefined =>
  typeof v === "number" ? new Date(v * 1000) : typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined;
const jsonString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** An association in EKS's JSON (timestamps in epoch seconds) in the SDK's shape; fields of the wrong type are left out. */
export function associationFromJson(raw: unknown): PodIdentityAssociation | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const a = raw as Record<string, unknown>;
  const tags = a.tags && typeof a.tags === "object" && Object.values(a.tags).every((v) => typeof v === "string") ? (a.tags as Record<string, string>) : undefined;
  return {
    associationId: jsonString(a.associationId),
    associationArn: jsonString(a.associationArn),
    clusterName: jsonString(a.clusterName),
    namespace: jsonString(a.namespace),
    serviceAccount: jsonString(a.serviceAccount),
    roleArn: jsonString(a.roleArn),
    ownerArn: jsonString(a.ownerArn),
    targetRoleArn: jsonString(a.targetRoleArn),
    externalId: jsonString(a.externalId),
    disableSessionTags: typeof a.disableSessionTags === "boolean" ? a.disableSessionTags : undefined,
    policy: jsonString(a.policy),
    tags,
    createdAt: jsonDate(a.createdAt),
    modifiedAt: jsonDate(a.modifiedAt),
  };
}

/** An SDK association as plain data; null when a field every association has is missing. */
export function toAssociationDetail(a: PodIdentityAssociation | undefined, clusterName: string): AssociationDetail | null {
  if (!a?.associationId || !a.associationArn || !a.namespace || !a.serviceAccount || !a.roleArn) return null;
  return {
    associationId: a.associationId,
    associationArn: a.associationArn,
    clusterName: a.clusterName ?? clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    ownerArn: a.ownerArn,
    roleArn: a.roleArn,
    targetRoleArn: a.targetRoleArn,
    externalId: a.externalId,
    disableSessionTags: a.disableSessionTags ?? false,
    policy: a.policy,
    tags: a.tags ?? {},
    createdAt: a.createdAt ?? new Date(0),
    modifiedAt: a.modifiedAt ?? a.createdAt ?? new Date(0),
  };
}

/** DescribeCluster's cluster in plain terms, with the placement facts (Auto Mode, Outposts, connected clusters). */
export function toClusterInfo(name: string, c: Cluster | undefined): ClusterInfo {
  return {
    name,
    arn: c?.arn,
    status: c?.status,
    version: c?.version,
    oidcIssuer: c?.identity?.oidc?.issuer,
    autoMode: c?.computeConfig?.enabled === true,
    ...(c?.outpostConfig ? { outpost: true } : {}),
    ...(c?.connectorConfig ? { connected: true } : {}),
  };
}

/** ListFargateProfiles (paged) + DescribeFargateProfile per profile; a profile deleted in between is skipped. */
export async function listFargateProfiles(pool: AwsClientPool, location: AwsLocation, clusterName: string): Promise<FargateProfileInfo[]> {
  const client = pool.eksFor(location);
  const names: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const out = await client.send(new ListFargateProfilesCommand({ clusterName, maxResults: 100, nextToken }));
      names.push(...(out.fargateProfileNames ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
  } catch (e) {
    throw toAwsCallError("ListFargateProfiles", e);
  }
  const profiles: FargateProfileInfo[] = [];
  for (const fargateProfileName of names) {
    try {
      const out = await client.send(new DescribeFargateProfileCommand({ clusterName, fargateProfileName }));
      const p = out.fargateProfile;
      profiles.push({
        name: fargateProfileName,
        status: p?.status,
        selectors: (p?.selectors ?? []).map((s) => ({ namespace: s.namespace ?? "", labels: { ...(s.labels ?? {}) } })),
      });
    } catch (e) {
      const err = toAwsCallError("DescribeFargateProfile", e);
      if (err.code !== "ResourceNotFoundException") throw err;
    }
  }
  return profiles;
}

// EKS reads the inventory needs beyond clusters and associations: node groups
// (their node role) and add-ons (is eks-pod-identity-agent installed?).

export const POD_IDENTITY_AGENT_ADDON = "eks-pod-identity-agent";

export class EksInventoryGateway {
  constructor(private readonly pool: AwsClientPool) {}

  async listNodegroupNames(location: AwsLocation, clusterName: string): Promise<string[]> {
    return allNames("ListNodegroups", "nodegroups", (nextToken) => this.pool.eksFor(location).send(new ListNodegroupsCommand({ clusterName, maxResults: 100, nextToken })));
  }

  async describeNodegroup(location: AwsLocation, clusterName: string, nodegroupName: string): Promise<NodegroupInfo> {
    const out = await this.call("DescribeNodegroup", () =>
      this.pool.eksFor(location).send(new DescribeNodegroupCommand({ clusterName, nodegroupName })),
    );
    const n = out.nodegroup;
    return { name: nodegroupName, arn: n?.nodegroupArn, status: n?.status, nodeRoleArn: n?.nodeRole ?? "", ...(n?.amiType ? { amiType: n.amiType } : {}) };
  }

  async listAddonNames(location: AwsLocation, clusterName: string): Promise<string[]> {
    return allNames("ListAddons", "addons", (nextToken) => this.pool.eksFor(location).send(new ListAddonsCommand({ clusterName, maxResults: 100, nextToken })));
  }

  async describeAddon(location: AwsLocation, clusterName: string, addonName: string): Promise<AddonInfo> {
    const out = await this.call("DescribeAddon", () =>
      this.pool.eksFor(location).send(new DescribeAddonCommand({ clusterName, addonName })),
    );
    const a = out.addon;
    return { name: addonName, arn: a?.addonArn, status: a?.status, version: a?.addonVersion, podIdentityAssociationArns: a?.podIdentityAssociations ?? [] };
  }

  /** Every Fargate profile of the cluster with its selectors (List + Describe each). */
  async fargateProfiles(location: AwsLocation, clusterName: string): Promise<FargateProfileInfo[]> {
    return listFargateProfiles(this.pool, location, clusterName);
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return awsCall(operation, fn);
  }
}

// EKS reads the request workflow needs: add-ons of a cluster, and the association
// of one service account (filtered List + Describe).

export class EksLookup {
  // The cluster and add-on reads are the gateways' (one DescribeCluster, one ListAddons in lib/aws).
  private readonly clusters: EksGateway;
  private readonly addons: EksInventoryGateway;

  constructor(private readonly pool: AwsClientPool) {
    this.clusters = new EksGateway(pool);
    this.addons = new EksInventoryGateway(pool);
  }

  /** The cluster, or null when EKS says it does not exist. */
  async findCluster(location: AwsLocation, name: string): Promise<ClusterInfo | null> {
    try {
      return await this.clusters.describeCluster(location, name);
    } catch (e) {
      if (e instanceof AwsCallError && e.code === "ResourceNotFoundException") return null;
      throw e;
    }
  }

  async listAddons(location: AwsLocation, clusterName: string): Promise<string[]> {
    return this.addons.listAddonNames(location, clusterName);
  }

  /** Every Fargate profile of the cluster with its selectors (List + Describe each). */
  async fargateProfiles(location: AwsLocation, clusterName: string): Promise<FargateProfileInfo[]> {
    return this.addons.fargateProfiles(location, clusterName);
  }

  /** The association with this id as EKS describes it (its real namespace, SA and role); null when it does not exist. */
  async describeAssociation(location: AwsLocation, clusterName: string, associationId: string): Promise<AssociationDetail | null> {
    try {
      const out = await this.pool.eksFor(location).send(new DescribePodIdentityAssociationCommand({ clusterName, associationId }));
      return toAssociationDetail(out.association, clusterName);
    } catch (e) {
      const err = toAwsCallError("DescribePodIdentityAssociation", e);
      if (err.code === "ResourceNotFoundException") return null;
      throw err;
    }
  }

  /** The association of (cluster, namespace, SA), with its role; null when there is none. */
  async findAssociation(location: AwsLocation, clusterName: string, namespace: string, serviceAccount: string): Promise<AssociationDetail | null> {
    const client = this.pool.eksFor(location);
    try {
      const list = await client.send(new ListPodIdentityAssociationsCommand({ clusterName, namespace, serviceAccount, maxResults: 10 }));
      const summary = (list.associations ?? []).find((a) => a.namespace === namespace && a.serviceAccount === serviceAccount);
      if (!summary?.associationId) return null;
      const out = await client.send(new DescribePodIdentityAssociationCommand({ clusterName, associationId: summary.associationId }));
      // The SA we asked for names the association even if the answer leaves it out.
      return toAssociationDetail({ namespace, serviceAccount, ...out.association }, clusterName);
    } catch (e) {
      const err = toAwsCallError("ListPodIdentityAssociations", e);
      // No such cluster (or the association went in between): there is none, as describeAssociation says.
      if (err.code === "ResourceNotFoundException") return null;
      throw err;
    }
  }
}

// EKS writes for the request workflow: create / update / delete a Pod Identity
// association, each with an idempotency token. Retries are the caller's job
// (the apply job backs off itself), so the pool given here should not retry.

export interface CreateAssociationInput {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  policy?: string;
  tags?: Record<string, string>;
  clientRequestToken: string;
}

export interface UpdateAssociationInput {
  clusterName: string;
  associationId: string;
  roleArn?: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  policy?: string;
  clientRequestToken: string;
}

export interface AssociationWriteResult {
  associationId: string;
  associationArn?: string;
  roleArn?: string;
  externalId?: string;
  awsRequestId?: string;
}

function result(a: PodIdentityAssociation | undefined, requestId: string | undefined, fallbackId: string): AssociationWriteResult {
  return {
    associationId: a?.associationId ?? fallbackId,
    associationArn: a?.associationArn,
    roleArn: a?.roleArn,
    externalId: a?.externalId,
    awsRequestId: requestId,
  };
}

export class EksWriter {
  constructor(private readonly pool: AwsClientPool) {}

  async createAssociation(location: AwsLocation, input: CreateAssociationInput): Promise<AssociationWriteResult> {
    try {
      const out = await this.pool.eksFor(location).send(new CreatePodIdentityAssociationCommand({ ...input }));
      return result(out.association, out.$metadata.requestId, "");
    } catch (e) {
      throw toAwsCallError("CreatePodIdentityAssociation", e);
    }
  }

  async updateAssociation(location: AwsLocation, input: UpdateAssociationInput): Promise<AssociationWriteResult> {
    try {
      const out = await this.pool.eksFor(location).send(new UpdatePodIdentityAssociationCommand({ ...input }));
      return result(out.association, out.$metadata.requestId, input.associationId);
    } catch (e) {
      throw toAwsCallError("UpdatePodIdentityAssociation", e);
    }
  }

  async deleteAssociation(location: AwsLocation, clusterName: string, associationId: string): Promise<AssociationWriteResult> {
    try {
      const out = await this.pool
        .eksFor(location)
        .send(new DeletePodIdentityAssociationCommand({ clusterName, associationId }));
      return result(out.association, out.$metadata.requestId, associationId);
    } catch (e) {
      throw toAwsCallError("DeletePodIdentityAssociation", e);
    }
  }
}
