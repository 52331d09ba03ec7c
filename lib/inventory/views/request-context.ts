// What a reviewer needs beside a request, from the latest scan: who else can
// already assume each role it grants (and through which mechanism), the pods
// running with each service account it names (and which credentials they got),
// and the policies its IAM items would replace, as the scan read them.
import type { InventoryView } from "./inventory-view";
import { IRSA_ENV, POD_IDENTITY_ENV } from "../analysis/findings/types";
import { roleHref } from "./role-summaries";

export interface ContextSubject {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string | null;
}

export interface RoleAssumers {
  roleArn: string;
  href: string;
  known: boolean;
  assumers: { cluster: string; namespace: string; serviceAccount: string; mechanism: string; thisRequest: boolean }[];
}

export interface SaPods {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  clusterKnown: boolean;
  pods: { name: string; phase: string; node: string; createdAt: string; credentials: "Pod Identity" | "IRSA" | "none" }[];
}

export interface RequestInventoryContext {
  scannedAt: string;
  roles: RoleAssumers[];
  pods: SaPods[];
}

const MAX_ROWS = 50;
const same = (a: ContextSubject, b: { cluster: string; namespace: string; serviceAccount: string }) => a.cluster === b.cluster && a.namespace === b.namespace && a.serviceAccount === b.serviceAccount;

export function requestInventoryContext(view: Pick<InventoryView, "scannedAt" | "snapshot" | "analysis">, subjects: ContextSubject[]): RequestInventoryContext {
  const roleArns = [...new Set(subjects.map((s) => s.roleArn).filter((r): r is string => !!r))];
  const roles = roleArns.map((roleArn) => ({
    roleArn,
    href: roleHref(roleArn),
    known: view.snapshot.roles.some((r) => r.arn === roleArn),
    assumers: view.analysis.mappings
      .filter((m) => m.roleArn === roleArn)
      .slice(0, MAX_ROWS)
      .map((m) => ({ cluster: m.cluster, namespace: m.namespace, serviceAccount: m.serviceAccount, mechanism: m.mechanism, thisRequest: subjects.some((s) => same(s, m)) })),
  }));
  const seen = new Set<string>();
  const pods: SaPods[] = [];
  for (const s of subjects) {
    const key = `${s.cluster}/${s.namespace}/${s.serviceAccount}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cluster = view.snapshot.clusters.find((c) => c.name === s.cluster);
    pods.push({
      cluster: s.cluster,
      namespace: s.namespace,
      serviceAccount: s.serviceAccount,
      clusterKnown: !!cluster,
      pods: (cluster?.pods ?? [])
        .filter((p) => p.namespace === s.namespace && p.serviceAccountName === s.serviceAccount)
        .slice(0, MAX_ROWS)
        .map((p) => ({
          name: p.name,
          phase: p.phase,
          node: p.nodeName ?? "",
          createdAt: p.creationTimestamp,
          credentials: p.credentialEnv[POD_IDENTITY_ENV] ? "Pod Identity" : p.credentialEnv[IRSA_ENV] ? "IRSA" : "none",
        })),
    });
  }
  return { scannedAt: view.scannedAt, roles, pods };
}

/** The policy an IAM item replaces, as the scan read it: the role's trust, or its inline policy of that name (null: none). */
export function currentPolicyOf(view: Pick<InventoryView, "snapshot">, item: { kind: string; roleArn: string | null; iamPolicyName?: string | null }): { known: boolean; document: string | null } {
  const role = view.snapshot.roles.find((r) => r.arn === item.roleArn);
  if (!role) return { known: false, document: null };
  if (item.kind === "iam-trust-update") return { known: true, document: role.trustPolicy };
  return { known: true, document: role.inlinePolicies[item.iamPolicyName ?? ""] ?? null };
}
