// EKS reads the request workflow needs: add-ons of a cluster, and the association
// of one service account (filtered List + Describe).
import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  ListAddonsCommand,
  ListPodIdentityAssociationsCommand,
} from "@aws-sdk/client-eks";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import type { AssociationDetail, AwsLocation, ClusterInfo } from "./types";
import { toAssociationDetail } from "./eks";

export class EksLookup {
  constructor(private readonly pool: AwsClientPool) {}

  /** The cluster, or null when EKS says it does not exist. */
  async findCluster(location: AwsLocation, name: string): Promise<ClusterInfo | null> {
    try {
      const out = await this.pool.eksFor(location).send(new DescribeClusterCommand({ name }));
      const c = out.cluster;
      return { name, arn: c?.arn, status: c?.status, version: c?.version, oidcIssuer: c?.identity?.oidc?.issuer };
    } catch (e) {
      const err = toAwsCallError("DescribeCluster", e);
      if (err.code === "ResourceNotFoundException") return null;
      throw err;
    }
  }

  async listAddons(location: AwsLocation, clusterName: string): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const out = await this.pool.eksFor(location).send(new ListAddonsCommand({ clusterName, nextToken }));
        names.push(...(out.addons ?? []));
        nextToken = out.nextToken;
      } while (nextToken);
    } catch (e) {
      throw toAwsCallError("ListAddons", e);
    }
    return names;
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
      throw toAwsCallError("ListPodIdentityAssociations", e);
    }
  }
}
