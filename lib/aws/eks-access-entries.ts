// RoleGate's own standing on a cluster, from EKS: who its credentials are
// (GetCallerIdentity) and the access entry and access policies of that principal.
import { DescribeAccessEntryCommand, ListAssociatedAccessPoliciesCommand } from "@aws-sdk/client-eks";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import { callerIdentity } from "./sts";
import type { AwsLocation } from "./types";

export interface AccessEntryInfo {
  principalArn: string;
  username?: string;
  policies: { policyArn: string; scope: "cluster" | "namespace"; namespaces: string[] }[];
}

/** The IAM principal an access entry names for a caller: an assumed-role session counts as its role (without path, as EKS matches it). */
export function principalForAccessEntry(callerArn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

export class EksAccessGateway {
  constructor(private readonly pool: AwsClientPool) {}

  /** The ARN RoleGate's credentials for this location act as. */
  async callerArn(location: AwsLocation): Promise<string> {
    return (await callerIdentity(this.pool, location)).arn;
  }

  /** The principal's access entry on the cluster with its policies, or null when it has none. */
  async accessEntry(location: AwsLocation, clusterName: string, principalArn: string): Promise<AccessEntryInfo | null> {
    const eks = this.pool.eksFor(location);
    let username: string | undefined;
    try {
      const out = await eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn }));
      username = out.accessEntry?.username;
    } catch (e) {
      const err = toAwsCallError("DescribeAccessEntry", e);
      if (err.code === "ResourceNotFoundException") return null;
      throw err;
    }
    const policies: AccessEntryInfo["policies"] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName, principalArn, nextToken }));
        for (const p of page.associatedAccessPolicies ?? []) {
          if (p.policyArn) policies.push({ policyArn: p.policyArn, scope: p.accessScope?.type === "namespace" ? "namespace" : "cluster", namespaces: p.accessScope?.namespaces ?? [] });
        }
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (e) {
      throw toAwsCallError("ListAssociatedAccessPolicies", e);
    }
    return { principalArn, ...(username ? { username } : {}), policies };
  }
}
