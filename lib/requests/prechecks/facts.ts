// Reads, once per item, what the prechecks look at. Read errors are kept, not thrown:
// a check whose fact is unknown warns instead of passing or failing.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { AwsLocation } from "@/lib/aws/types";
import { placementFacts, type PlacementFacts } from "@/lib/inventory/placement";
import type { ClusterInfo } from "@/lib/aws/types";
import type { PlacementKube, PrecheckContext, PrecheckFacts } from "./types";

async function read<T>(errors: string[], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    errors.push((e as Error).message);
    return undefined;
  }
}

/** EKS (Auto Mode, Fargate profiles) and, when Kubernetes is reachable, nodes, the agent DaemonSet and the pods. */
async function readPlacement(
  errors: string[],
  aws: RequestsGateway,
  location: AwsLocation,
  item: PrecheckContext["item"],
  cluster: ClusterInfo,
  addons: string[] | undefined,
  kube: PlacementKube | undefined,
): Promise<PlacementFacts> {
  const clusterArn = cluster.arn;
  const [fargateProfiles, nodes, daemonSets, saPods, systemPods] = await Promise.all([
    read(errors, () => aws.eks.fargateProfiles(location, item.cluster)),
    kube ? read(errors, () => kube.listNodes(item.cluster, clusterArn)) : undefined,
    kube ? read(errors, () => kube.listDaemonSets(item.cluster, "kube-system", clusterArn)) : undefined,
    kube ? read(errors, () => kube.listPods(item.cluster, { namespace: item.namespace, clusterArn })) : undefined,
    kube && item.namespace !== "kube-system" ? read(errors, () => kube.listPods(item.cluster, { namespace: "kube-system", clusterArn })) : Promise.resolve([]),
  ]);
  const ds = daemonSets?.find((d) => d.name === "eks-pod-identity-agent" || d.labels["app.kubernetes.io/name"] === "eks-pod-identity-agent");
  return placementFacts({ ...cluster, cluster: item.cluster, region: item.region }, {
    agentAddon: addons?.includes("eks-pod-identity-agent") ?? false,
    fargateProfiles,
    nodes,
    agentDaemonSet: daemonSets === undefined ? undefined : (ds ?? null),
    pods: saPods && systemPods ? [...saPods, ...systemPods] : undefined,
  });
}

/** targetLocation: where the cross-account target role is read (its account's configured credentials). */
export async function gatherFacts(aws: RequestsGateway, location: AwsLocation, item: PrecheckContext["item"], kube?: PlacementKube, targetLocation?: AwsLocation): Promise<PrecheckFacts> {
  const errors: string[] = [];
  const cluster = await read(errors, () => aws.eks.findCluster(location, item.cluster));
  const [addons, role, association, targetRole, nodeRoles] = await Promise.all([
    cluster ? read(errors, () => aws.eks.listAddons(location, item.cluster)) : Promise.resolve(undefined),
    item.roleArn ? read(errors, () => aws.iam.getRole(location, item.roleArn!)) : Promise.resolve(undefined),
    cluster ? read(errors, () => aws.eks.findAssociation(location, item.cluster, item.namespace, item.serviceAccount)) : Promise.resolve(undefined),
    item.targetRoleArn
      ? read(errors, () => aws.iam.getRole(targetLocation ?? { ...location, accountId: item.targetRoleArn!.split(":")[4]! }, item.targetRoleArn!))
      : Promise.resolve(undefined),
    cluster && item.kind !== "delete" && item.roleArn ? read(errors, () => aws.nodeRoles.nodeRoles(location, item.cluster)) : Promise.resolve(undefined),
  ]);
  const placement = cluster && item.kind !== "delete" ? await readPlacement(errors, aws, location, item, cluster, addons, kube) : undefined;
  return { cluster, addons, role, association, targetRole, nodeRoles, ...(placement ? { placement } : {}), errors };
}
