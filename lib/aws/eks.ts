// The EKS half of the AWS gateway: read clusters and Pod Identity associations.
import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  ListClustersCommand,
  ListPodIdentityAssociationsCommand,
  type PodIdentityAssociation,
} from "@aws-sdk/client-eks";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import type { AssociationDetail, AssociationSummary, AwsLocation, ClusterInfo } from "./types";

export class EksGateway {
  constructor(private readonly pool: AwsClientPool) {}

  async listClusterNames(location: AwsLocation): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call("ListClusters", () =>
        this.pool.eksFor(location).send(new ListClustersCommand({ maxResults: 100, nextToken })),
      );
      names.push(...(out.clusters ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return names;
  }

  async describeCluster(location: AwsLocation, name: string): Promise<ClusterInfo> {
    const out = await this.call("DescribeCluster", () =>
      this.pool.eksFor(location).send(new DescribeClusterCommand({ name })),
    );
    const c = out.cluster;
    return { name, arn: c?.arn, status: c?.status, version: c?.version, oidcIssuer: c?.identity?.oidc?.issuer };
  }

  async listAssociations(location: AwsLocation, clusterName: string): Promise<AssociationSummary[]> {
    const all: AssociationSummary[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call("ListPodIdentityAssociations", () =>
        this.pool
          .eksFor(location)
          .send(new ListPodIdentityAssociationsCommand({ clusterName, maxResults: 100, nextToken })),
      );
      for (const a of out.associations ?? []) {
        if (!a.associationId || !a.associationArn || !a.namespace || !a.serviceAccount) continue;
        all.push({
          associationId: a.associationId,
          associationArn: a.associationArn,
          clusterName: a.clusterName ?? clusterName,
          namespace: a.namespace,
          serviceAccount: a.serviceAccount,
          ownerArn: a.ownerArn,
        });
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return all;
  }

  async describeAssociation(location: AwsLocation, clusterName: string, associationId: string): Promise<AssociationDetail> {
    const out = await this.call("DescribePodIdentityAssociation", () =>
      this.pool.eksFor(location).send(new DescribePodIdentityAssociationCommand({ clusterName, associationId })),
    );
    const detail = toAssociationDetail(out.association, clusterName);
    if (!detail) throw new Error(`DescribePodIdentityAssociation ${associationId} returned an incomplete association`);
    return detail;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toAwsCallError(operation, e);
    }
  }
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
