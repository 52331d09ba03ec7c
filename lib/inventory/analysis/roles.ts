// Parse every role's trust policy once and look roles up by ARN.
import { extractGrants, normalizeIssuer, safeParseTrustPolicy } from "@/lib/trust";
import type { InventorySnapshot, SnapshotRole } from "../snapshot-types";
import type { ClusterRef, IndexedRole } from "./model";
import { runSteps, type Steps } from "./steps";

export function indexRoles(snapshot: InventorySnapshot): Map<string, IndexedRole> {
  return runSteps(indexRolesSteps(snapshot));
}

/** indexRoles one role per step (parsing is the slow part: about 0.2 ms a policy). */
export function* indexRolesSteps(snapshot: InventorySnapshot): Steps<Map<string, IndexedRole>> {
  const out = new Map<string, IndexedRole>();
  for (const role of snapshot.roles) {
    yield;
    out.set(role.arn, indexRole(role));
  }
  return out;
}

/** One role with its trust policy parsed (and its grants extracted). */
export function indexRole(role: SnapshotRole): IndexedRole {
  const parsed = safeParseTrustPolicy(role.trustPolicy);
  return parsed.ok ? { role, policy: parsed.policy, grants: extractGrants(parsed.policy) } : { role, policy: null, grants: null, parseError: parsed.error };
}

export function clusterRefs(snapshot: InventorySnapshot): ClusterRef[] {
  return snapshot.clusters.map((cluster) => ({
    cluster,
    providerPath: cluster.oidcIssuer ? normalizeIssuer(cluster.oidcIssuer) : null,
  }));
}

export const accountOfArn = (arn: string): string => arn.split(":")[4] ?? "";

/** Was this account scanned (so a role missing from the snapshot really does not exist)? */
export function accountScanned(snapshot: InventorySnapshot, accountId: string): boolean {
  if (snapshot.errors.some((e) => e.scope.includes(accountId))) return false;
  return snapshot.accounts.some((a) => a.accountId === accountId);
}

