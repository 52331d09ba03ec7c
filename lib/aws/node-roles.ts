// The node roles of a cluster's managed node groups (EKS ListNodegroups +
// DescribeNodegroup -> nodeRole) with their inline policies (IAM
// ListRolePolicies + GetRolePolicy, decoded). Composes the inventory gateways;
// used by the request prechecks (is the role covered by the node role?).
import type { AwsClientPool } from "./clients";
import { EksInventoryGateway } from "./eks-inventory";
import { IamGateway } from "./iam";
import { roleNameFromArn } from "./iam-read";
import type { AwsLocation } from "./types";

export interface NodeRolePolicies {
  nodeRoleArn: string;
  nodegroups: string[];
  /** Inline policy name -> decoded JSON text. */
  inlinePolicies: Record<string, string>;
}

export class NodeRoleReader {
  private readonly eks: EksInventoryGateway;
  private readonly iam: IamGateway;

  constructor(pool: AwsClientPool) {
    this.eks = new EksInventoryGateway(pool);
    this.iam = new IamGateway(pool);
  }

  /** One entry per distinct node role of the cluster's node groups. */
  async nodeRoles(location: AwsLocation, clusterName: string): Promise<NodeRolePolicies[]> {
    const names = await this.eks.listNodegroupNames(location, clusterName);
    const groups = await Promise.all(names.map((n) => this.eks.describeNodegroup(location, clusterName, n)));
    const byRole = new Map<string, string[]>();
    for (const g of groups) if (g.nodeRoleArn) byRole.set(g.nodeRoleArn, [...(byRole.get(g.nodeRoleArn) ?? []), g.name]);
    return Promise.all(
      [...byRole].map(async ([nodeRoleArn, nodegroups]) => {
        const account = nodeRoleArn.split(":")[4] || location.accountId;
        const inlinePolicies = await this.iam.inlinePolicies({ ...location, accountId: account }, roleNameFromArn(nodeRoleArn));
        return { nodeRoleArn, nodegroups, inlinePolicies };
      }),
    );
  }
}
