// Reference implementation for tests and the benchmark: every role against
// every service account through the full evaluator (canAssume), no index.
import { canAssume, evaluateTrust, irsaRequest } from "@/lib/trust";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import { checkRoleChain } from "@/lib/inventory/analysis/cross-account";
import type { IndexedRole } from "@/lib/inventory/analysis/model";
import { indexRoles } from "@/lib/inventory/analysis/roles";

export interface PlainEdge {
  key: string;
  mechanism: "irsa" | "pod-identity";
  allowed: boolean;
  targetAllowed?: boolean;
}

export interface BruteForceOptions {
  onProgress?: (done: number, total: number) => void;
}

/** Every (role x SA) IRSA check, then each association through the full evaluator. */
export function bruteForceEdges(snapshot: InventorySnapshot, opts: BruteForceOptions = {}, roles: Map<string, IndexedRole> = indexRoles(snapshot)): PlainEdge[] {
  const out: PlainEdge[] = [];
  const list = [...roles.values()].filter((r) => r.policy);
  const total = snapshot.clusters.reduce((n, c) => n + c.serviceAccounts.length, 0);
  let done = 0;
  for (const c of snapshot.clusters) {
    for (const sa of c.serviceAccounts) {
      if (c.oidcIssuer) {
        for (const r of list) {
          const req = irsaRequest({ mechanism: "irsa", issuer: c.oidcIssuer, namespace: sa.namespace, serviceAccount: sa.name, providerAccount: r.role.accountId });
          if (evaluateTrust(r.policy!, req).allowed) out.push({ key: `${c.arn}|${sa.namespace}/${sa.name}|${r.role.arn}`, mechanism: "irsa", allowed: true });
        }
      }
      if (++done % 100 === 0) opts.onProgress?.(done, total);
    }
    for (const a of c.associations) {
      const r = roles.get(a.roleArn);
      const sessionTags = !a.disableSessionTags;
      const allowed = r?.policy
        ? canAssume(r.policy, { mechanism: "pod-identity", namespace: a.namespace, serviceAccount: a.serviceAccount, clusterArn: c.arn, sessionTags }).allowed
        : false;
      const t = a.targetRoleArn ? roles.get(a.targetRoleArn) : undefined;
      const targetAllowed = a.targetRoleArn ? t?.policy !== undefined && t.policy !== null && checkRoleChain(t.policy, a.roleArn, a.externalId, sessionTags).allowed : undefined;
      out.push({ key: `${c.arn}|${a.namespace}/${a.serviceAccount}|${a.roleArn}`, mechanism: "pod-identity", allowed, ...(targetAllowed !== undefined ? { targetAllowed } : {}) });
    }
  }
  return out;
}

/** The indexed edges in the same plain form, for comparison with bruteForceEdges. */
export function plainEdges(edges: import("@/lib/inventory/analysis/model").EdgeSet): PlainEdge[] {
  const key = (e: { clusterArn: string; namespace: string; serviceAccount: string; roleArn: string }) => `${e.clusterArn}|${e.namespace}/${e.serviceAccount}|${e.roleArn}`;
  return [
    ...edges.irsa.map((e) => ({ key: key(e), mechanism: "irsa" as const, allowed: true })),
    ...edges.podIdentity.map((e) => ({ key: key(e), mechanism: "pod-identity" as const, allowed: e.allowed, ...(e.target ? { targetAllowed: e.target.allowed === true } : {}) })),
  ];
}

export const plainEdgeStrings = (edges: PlainEdge[]) =>
  edges.map((e) => `${e.mechanism}|${e.key}|${e.allowed}${e.targetAllowed === undefined ? "" : `|target:${e.targetAllowed}`}`).sort();
