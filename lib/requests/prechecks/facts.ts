// Reads, once per item, what the prechecks look at. Read errors are kept, not thrown:
// a check whose fact is unknown warns instead of passing or failing.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { AwsLocation } from "@/lib/aws/types";
import type { PrecheckContext, PrecheckFacts } from "./types";

async function read<T>(errors: string[], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    errors.push((e as Error).message);
    return undefined;
  }
}

export async function gatherFacts(aws: RequestsGateway, location: AwsLocation, item: PrecheckContext["item"]): Promise<PrecheckFacts> {
  const errors: string[] = [];
  const cluster = await read(errors, () => aws.eks.findCluster(location, item.cluster));
  const [addons, role, association, targetRole, nodeRoles] = await Promise.all([
    cluster ? read(errors, () => aws.eks.listAddons(location, item.cluster)) : Promise.resolve(undefined),
    item.roleArn ? read(errors, () => aws.iam.getRole(location, item.roleArn!)) : Promise.resolve(undefined),
    cluster ? read(errors, () => aws.eks.findAssociation(location, item.cluster, item.namespace, item.serviceAccount)) : Promise.resolve(undefined),
    item.targetRoleArn
      ? read(errors, () => aws.iam.getRole({ ...location, accountId: item.targetRoleArn!.split(":")[4]! }, item.targetRoleArn!))
      : Promise.resolve(undefined),
    cluster && item.kind !== "delete" && item.roleArn ? read(errors, () => aws.nodeRoles.nodeRoles(location, item.cluster)) : Promise.resolve(undefined),
  ]);
  return { cluster, addons, role, association, targetRole, nodeRoles, errors };
}
