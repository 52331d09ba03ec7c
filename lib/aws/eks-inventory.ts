// EKS reads the inventory needs beyond clusters and associations: node groups
// (their node role) and add-ons (is eks-pod-identity-agent installed?).
import { DescribeAddonCommand, DescribeNodegroupCommand, ListAddonsCommand, ListNodegroupsCommand } from "@aws-sdk/client-eks";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import type { AddonInfo, NodegroupInfo } from "./inventory-types";
import type { AwsLocation } from "./types";

export const POD_IDENTITY_AGENT_ADDON = "eks-pod-identity-agent";

export class EksInventoryGateway {
  constructor(private readonly pool: AwsClientPool) {}

  async listNodegroupNames(location: AwsLocation, clusterName: string): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call("ListNodegroups", () =>
        this.pool.eksFor(location).send(new ListNodegroupsCommand({ clusterName, maxResults: 100, nextToken })),
      );
      names.push(...(out.nodegroups ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return names;
  }

  async describeNodegroup(location: AwsLocation, clusterName: string, nodegroupName: string): Promise<NodegroupInfo> {
    const out = await this.call("DescribeNodegroup", () =>
      this.pool.eksFor(location).send(new DescribeNodegroupCommand({ clusterName, nodegroupName })),
    );
    const n = out.nodegroup;
    return { name: nodegroupName, arn: n?.nodegroupArn, status: n?.status, nodeRoleArn: n?.nodeRole ?? "" };
  }

  async listAddonNames(location: AwsLocation, clusterName: string): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call("ListAddons", () =>
        this.pool.eksFor(location).send(new ListAddonsCommand({ clusterName, maxResults: 100, nextToken })),
      );
      names.push(...(out.addons ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return names;
  }

  async describeAddon(location: AwsLocation, clusterName: string, addonName: string): Promise<AddonInfo> {
    const out = await this.call("DescribeAddon", () =>
      this.pool.eksFor(location).send(new DescribeAddonCommand({ clusterName, addonName })),
    );
    const a = out.addon;
    return { name: addonName, arn: a?.addonArn, status: a?.status, version: a?.addonVersion, podIdentityAssociationArns: a?.podIdentityAssociations ?? [] };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toAwsCallError(operation, e);
    }
  }
}
