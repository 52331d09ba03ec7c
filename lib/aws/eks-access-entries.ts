// RoleGate's own standing on a cluster, from EKS: who its credentials are
// (GetCallerIdentity), the IAM principal an access entry must name for them,
// and the access entry and access policies of that principal.
import { DescribeAccessEntryCommand, ListAssociatedAccessPoliciesCommand } from "@aws-sdk/client-eks";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import type { AwsClientPool } from "./clients";
import { awsCall, toAwsCallError } from "./errors";
import { callerIdentity } from "./sts";
import type { AwsLocation } from "./types";

export interface AccessEntryInfo {
  principalArn: string;
  username?: string;
  policies: { policyArn: string; scope: "cluster" | "namespace"; namespaces: string[] }[];
}

/** The role behind an assumed-role session ARN, or null for any other principal (users, roles given as roles). */
function assumedRoleOf(callerArn: string): { partition: string; accountId: string; roleName: string } | null {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? { partition: m[1]!, accountId: m[2]!, roleName: m[3]! } : null;
}

/** Whether a role ARN (with any path) names this account's role of this name. */
function roleArnNames(roleArn: string, role: { partition: string; accountId: string; roleName: string }): boolean {
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return !!m && m[1] === role.partition && m[2] === role.accountId && m[3] === role.roleName;
}

// A role's path cannot change (only delete and re-create), so resolving it again
// every ten minutes is plenty; /clusters asks once per cluster on every view.
const ROLE_ARN_FOR_MS = 10 * 60_000;

export class EksAccessGateway {
  private roleArns = new Map<string, { arn: string; until: number }>();

  constructor(private readonly pool: AwsClientPool) {}

  /** The ARN RoleGate's credentials for this location act as. */
  async callerArn(location: AwsLocation): Promise<string> {
    return (await callerIdentity(this.pool, location)).arn;
  }

  /**
   * The principal an access entry names for a caller. An assumed-role session
   * counts as its role, but the session ARN drops the role's path
   * (assumed-role/RoleGateAccess/rolegate for role/rolegate/RoleGateAccess)
   * while access entries name the role's full ARN: the target's configured
   * assume-role ARN when it is that role (AssumeRole only accepts the exact
   * ARN), else the ARN from IAM (GetRole; e.g. RoleGate's own Pod Identity role).
   */
  async principalArn(location: AwsLocation, callerArn: string): Promise<string> {
    const role = assumedRoleOf(callerArn);
    if (!role) return callerArn;
    if (location.assumeRoleArn && roleArnNames(location.assumeRoleArn, role)) return location.assumeRoleArn;
    const key = `${role.partition}/${role.accountId}/${role.roleName}`;
    const known = this.roleArns.get(key);
    if (known && known.until > Date.now()) return known.arn;
    // IAM answers for the credentials' own account, which is the session's.
    const out = await awsCall("GetRole", () => this.pool.iamFor(location).send(new GetRoleCommand({ RoleName: role.roleName })));
    if (!out.Role?.Arn) throw new Error(`GetRole ${role.roleName} returned no role ARN`);
    this.roleArns.set(key, { arn: out.Role.Arn, until: Date.now() + ROLE_ARN_FOR_MS });
    return out.Role.Arn;
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
