// One cluster: EKS facts (issuer, status, node groups, pod identity agent
// add-on), every association (List + rate-limited Describe), and the
// Kubernetes service accounts and pods. An EKS failure fails the cluster; a
// Kubernetes failure keeps the EKS part and records its own error.
import { POD_IDENTITY_AGENT_ADDON, type AssociationDetail } from "@/lib/aws";
import { DEFAULT_KUBE_CONCURRENCY } from "@/lib/config/load";
import type { Target } from "@/lib/config/schema";
import type { KubeGateway } from "@/lib/kube";
import { mapPagesWithConcurrency, mapWithConcurrency, Semaphore } from "@/lib/util/concurrency";
import { AGENT_NAME } from "../placement";
import type { SnapshotAssociation, SnapshotCluster, SnapshotNode } from "../snapshot-types";
import { DEFAULT_DESCRIBE_CONCURRENCY, type ScanContext, type ScanDeps } from "./context";

const clusterScope = (t: Target, name: string) => `cluster:${t.accountId}/${t.region}/${name}`;

export async function scanCluster(ctx: ScanContext, target: Target, name: string): Promise<SnapshotCluster | undefined> {
  const { deps } = ctx;
  const at = (operation: string) => ({ accountId: target.accountId, region: target.region, operation, cluster: name });
  // Every EKS read starts at once: the associations' rate-limited Describe stream is the scan's critical
  // path, and waiting for DescribeCluster first (a second at the start of a 100-cluster scan) delayed it.
  // Only the Kubernetes reads need the cluster's ARN. When one fails, the cluster fails and the
  // associations stop before their next call.
  const stop = { now: false };
  try {
    const described = ctx.limited(at("DescribeCluster"), () => deps.eks.describeCluster(target, name));
    void described.then(() => ctx.mark("describeCluster"), () => {});
    const kube = described.then((info) => scanKube(ctx, target, name, info.arn)).finally(() => ctx.mark("kube"));
    let streaming!: () => void;
    const streamStarted = new Promise<void>((resolve) => (streaming = resolve));
    const associations = scanAssociations(ctx, target, name, stop, streaming).finally(() => ctx.mark("associations"));
    // The cluster's other EKS facts wait for its first List page: at the start of a 100-cluster scan
    // their half-dozen calls per cluster queued in front of it.
    const facts = streamStarted.then(() => {
      if (stop.now) throw STOPPED; // the cluster failed before its first page
      return Promise.all([
        scanNodegroups(ctx, target, name),
        podIdentityAgentInstalled(ctx, target, name),
        // Read apart: a refusal (eks:ListFargateProfiles not granted) costs only the Fargate part of the placement.
        ctx.limited(at("ListFargateProfiles"), () => deps.eksInventory.fargateProfiles(target, name)).catch((e: unknown) => {
          ctx.error(`fargate:${target.accountId}/${target.region}/${name}`, e);
          return undefined;
        }),
      ]);
    });
    const reads = Promise.all([described, facts, associations, kube]).catch(async (e: unknown) => {
      stop.now = true;
      // The cluster's own failure when it has one (a deleted cluster fails every read): DescribeCluster's.
      throw (await described.then(() => e, (own: unknown) => own));
    });
    const [info, [nodegroups, agent, fargateProfiles], associationList, { serviceAccounts, pods, nodes, agentDaemonSet }] = await reads;
    return {
      accountId: target.accountId,
      region: target.region,
      name,
      arn: info.arn ?? `arn:aws:eks:${target.region}:${target.accountId}:cluster/${name}`,
      status: info.status ?? "UNKNOWN",
      version: info.version,
      oidcIssuer: info.oidcIssuer,
      podIdentityAgentInstalled: agent,
      autoMode: info.autoMode === true,
      ...(info.outpost ? { outpost: true } : {}),
      ...(info.connected ? { connected: true } : {}),
      ...(fargateProfiles ? { fargateProfiles: fargateProfiles.map((f) => ({ name: f.name, selectors: f.selectors })) } : {}),
      ...(nodes ? { nodes } : {}),
      ...(agentDaemonSet !== undefined ? { agentDaemonSet } : {}),
      nodegroups,
      associations: associationList,
      serviceAccounts,
      pods,
    };
  } catch (e) {
    ctx.error(clusterScope(target, name), e);
    return undefined;
  } finally {
    ctx.progress.addDone("clusters");
  }
}

async function scanNodegroups(ctx: ScanContext, target: Target, name: string) {
  const { eksInventory } = ctx.deps;
  const at = (operation: string) => ({ accountId: target.accountId, region: target.region, operation, cluster: name });
  const names = await ctx.limited(at("ListNodegroups"), () => eksInventory.listNodegroupNames(target, name));
  const groups = await mapWithConcurrency(names, 4, (ng) =>
    ctx.limited(at("DescribeNodegroup"), () => eksInventory.describeNodegroup(target, name, ng)),
  );
  return groups.map((g) => ({ name: g.name, nodeRoleArn: g.nodeRoleArn, ...(g.amiType ? { amiType: g.amiType } : {}) }));
}

async function podIdentityAgentInstalled(ctx: ScanContext, target: Target, name: string): Promise<boolean> {
  const at = (operation: string) => ({ accountId: target.accountId, region: target.region, operation, cluster: name });
  const addons = await ctx.limited(at("ListAddons"), () => ctx.deps.eksInventory.listAddonNames(target, name));
  if (!addons.includes(POD_IDENTITY_AGENT_ADDON)) return false;
  const addon = await ctx.limited(at("DescribeAddon"), () => ctx.deps.eksInventory.describeAddon(target, name, POD_IDENTITY_AGENT_ADDON));
  return addon.status !== "CREATING" && addon.status !== "DELETING" && addon.status !== "CREATE_FAILED";
}

/** An association as the snapshot keeps it (Describe's answer; the List summary's owner when Describe has none). */
export function toSnapshotAssociation(d: AssociationDetail, listedOwnerArn?: string): SnapshotAssociation {
  return {
    associationId: d.associationId,
    associationArn: d.associationArn,
    namespace: d.namespace,
    serviceAccount: d.serviceAccount,
    roleArn: d.roleArn,
    ...(d.targetRoleArn ? { targetRoleArn: d.targetRoleArn } : {}),
    ...(d.externalId ? { externalId: d.externalId } : {}),
    disableSessionTags: d.disableSessionTags,
    ...(d.policy ? { policy: d.policy } : {}),
    ...((d.ownerArn ?? listedOwnerArn) ? { ownerArn: d.ownerArn ?? listedOwnerArn } : {}),
    tags: d.tags,
    createdAt: d.createdAt.toISOString(),
    modifiedAt: d.modifiedAt.toISOString(),
  };
}

/** Thrown into a cluster's remaining reads once one of its reads has failed: no more calls for it. */
const STOPPED = new Error("the cluster's scan stopped");

/** `started`: called once the first List page is in (or the listing ended without one). */
async function scanAssociations(ctx: ScanContext, target: Target, name: string, stop: { now: boolean }, started: () => void): Promise<SnapshotAssociation[]> {
  const { eks } = ctx.deps;
  const at = (operation: string) => ({ accountId: target.accountId, region: target.region, operation, cluster: name });
  // Describes start with the first page of the list: a cluster's 1,000 associations are ten List calls,
  // which under load took seconds before the first Describe, time its rate-limited Describes never win back.
  const pages = async function* () {
    try {
      for await (const page of eks.associationPages(target, name, () => ctx.limited(at("ListPodIdentityAssociations"), async () => {}))) {
        if (stop.now) throw STOPPED;
        if (!("firstPage" in ctx.marks)) ctx.mark("firstPage");
        started();
        ctx.progress.addTotal("associations", page.length);
        yield page;
      }
      ctx.mark("listed");
    } finally {
      started();
    }
  };
  return mapPagesWithConcurrency(pages(), ctx.deps.describeConcurrency ?? DEFAULT_DESCRIBE_CONCURRENCY, async (s) => {
    if (stop.now) throw STOPPED;
    const d = await ctx.limited(at("DescribePodIdentityAssociation"), () => eks.describeAssociation(target, name, s.associationId, { paced: true }));
    ctx.progress.addDone("associations");
    return toSnapshotAssociation(d, s.ownerArn);
  });
}

/**
 * Per process (one ScanDeps each): the clusters whose Kubernetes objects are being read. Read all at
 * once (every cluster's part starts together), 100 clusters' lists crowded out the first Describe
 * calls, whose rate-limited stream is what a scan's length is made of; a few at a time
 * (ROLEGATE_SCAN_KUBE_CONCURRENCY) they fit beside it, and fewer clusters' lists are held at once.
 */
const kubeSlots = new WeakMap<ScanDeps, Semaphore>();

async function scanKube(ctx: ScanContext, target: Target, name: string, arn: string | undefined) {
  const kube = ctx.deps.kube;
  if (!kube) return { serviceAccounts: [], pods: [] };
  ctx.progress.addTotal("kubernetes", 1);
  let slots = kubeSlots.get(ctx.deps);
  if (!slots) kubeSlots.set(ctx.deps, (slots = new Semaphore(ctx.deps.kubeConcurrency ?? DEFAULT_KUBE_CONCURRENCY)));
  return slots.run(() => {
    ctx.mark("kubeSlot");
    return readKube(ctx, kube, target, name, arn);
  });
}

async function readKube(ctx: ScanContext, kube: KubeGateway, target: Target, name: string, arn: string | undefined) {
  try {
    const [serviceAccounts, pods] = await Promise.all([kube.listServiceAccounts(name, arn), kube.listPods(name, { clusterArn: arn })]);
    return { serviceAccounts, pods, ...(await scanPlacement(ctx, target, name, arn)) };
  } catch (e) {
    ctx.error(`kubernetes:${target.accountId}/${target.region}/${name}`, e);
    return { serviceAccounts: [], pods: [] };
  } finally {
    ctx.progress.addDone("kubernetes");
  }
}

/** Nodes and the agent DaemonSet; read apart so an RBAC refusal (nodes are cluster-scoped) costs only the placement. */
async function scanPlacement(ctx: ScanContext, target: Target, name: string, arn: string | undefined): Promise<{ nodes?: SnapshotNode[]; agentDaemonSet?: SnapshotCluster["agentDaemonSet"] }> {
  const kube = ctx.deps.kube!;
  try {
    const [nodes, daemonSets] = await Promise.all([kube.listNodes(name, arn), kube.listDaemonSets(name, "kube-system", arn)]);
    const ds = daemonSets.find((d) => d.name === AGENT_NAME || d.labels["app.kubernetes.io/name"] === AGENT_NAME);
    return { nodes, agentDaemonSet: ds ? { name: ds.name, nodeSelector: ds.nodeSelector, desired: ds.desired, ready: ds.ready, labels: ds.labels } : null };
  } catch (e) {
    ctx.error(`kubernetes-placement:${target.accountId}/${target.region}/${name}`, e);
    return {};
  }
}
