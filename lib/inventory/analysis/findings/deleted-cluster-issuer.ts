// Trust statements naming the OIDC issuer of no known cluster (a retired
// Blue), and IAM OIDC providers of EKS issuers no cluster uses any more.
import { parseOidcProviderArn } from "@/lib/trust";
import { textDiff } from "../../fixes/diff";
import { removeProviders } from "../../fixes/irsa-trust";
import { formatPolicy, readPolicy } from "../../fixes/policy-json";
import type { SnapshotOidcProvider } from "../../snapshot-types";
import type { IndexedRole } from "../model";
import { runSteps, type Steps } from "../steps";
import { findingId, isEksIssuerPath, roleName, type AnalysisContext, type Finding } from "./types";

const staleNote = (ctx: Pick<AnalysisContext, "snapshot">) => (ctx.snapshot.errors.length ? " Some scopes failed to scan; make sure the cluster is not in one of them." : "");

export function deletedClusterFindings(ctx: AnalysisContext): Finding[] {
  return runSteps(deletedClusterFindingsSteps(ctx));
}

/** deletedClusterFindings one role per step. */
export function* deletedClusterFindingsSteps(ctx: AnalysisContext): Steps<Finding[]> {
  const out: Finding[] = [];
  const referencing = new Map<string, string[]>();
  for (const r of ctx.roles.values()) {
    yield;
    const found = deletedClusterFindingsForRole(ctx, r);
    for (const f of found) {
      referencing.set(f.oidcProviderArn!, [...(referencing.get(f.oidcProviderArn!) ?? []), r.role.arn]);
      out.push(f);
    }
  }
  for (const p of ctx.snapshot.oidcProviders) {
    const f = orphanProviderFinding(ctx, p, referencing.get(p.arn) ?? []);
    if (f) out.push(f);
  }
  return out;
}

/** One role's statements naming a retired issuer: a finding per stale provider ARN (its oidcProviderArn). */
export function deletedClusterFindingsForRole(ctx: Pick<AnalysisContext, "clustersByPath" | "snapshot">, r: IndexedRole): Finding[] {
  const out: Finding[] = [];
  if (!r.policy) return out;
  const stale = new Map<string, number[]>();
  let live = 0;
  for (const st of r.policy.statements) {
    if (st.principal.kind !== "map") continue;
    for (const f of st.principal.federated) {
      const p = parseOidcProviderArn(f);
      if (!p || !isEksIssuerPath(p.path)) continue;
      if (ctx.clustersByPath.has(p.path)) live++;
      else stale.set(f, [...(stale.get(f) ?? []), st.index]);
    }
  }
  for (const [providerArn, idx] of stale) {
    const { policy, removed } = removeProviders(r.role.trustPolicy, [providerArn]);
    const json = formatPolicy(policy);
    const labels = idx.map((i) => (r.policy!.statements[i]?.sid ? `${i} (Sid "${r.policy!.statements[i]!.sid}")` : String(i)));
    const only = live === 0;
    out.push({
      id: findingId("trust-references-deleted-cluster", r.role.arn, providerArn),
      kind: "trust-references-deleted-cluster",
      severity: only ? "medium" : "low",
      title: `${roleName(r.role.arn)} trusts the OIDC issuer of a cluster that no longer exists`,
      detail: `Statement(s) ${labels.join(", ")} name ${providerArn}; no scanned cluster has that issuer.${only ? " No live cluster can use this role through IRSA." : ""}${staleNote(ctx)}`,
      accountId: r.role.accountId,
      roleArn: r.role.arn,
      oidcProviderArn: providerArn,
      fix: {
        kind: "remove-statements",
        description: removed.length
          ? `Remove statement(s) ${removed.join(", ")} from the trust policy${policy.Statement.length === 0 ? "; nothing would remain, so delete the role or map it to a live cluster instead" : ""}.`
          : `Remove ${providerArn} from the Federated principal of statement(s) ${idx.join(", ")}.`,
        json,
        diff: textDiff(formatPolicy(readPolicy(r.role.trustPolicy)), json, ["current", "corrected"]),
      },
    });
  }
  return out;
}

/** The orphan finding of one IAM OIDC provider; `roles`: roles with a stale reference to it, in snapshot order. */
export function orphanProviderFinding(ctx: Pick<AnalysisContext, "clustersByPath" | "snapshot">, p: SnapshotOidcProvider, roles: string[]): Finding | null {
  const path = parseOidcProviderArn(p.arn)?.path ?? p.url;
  if (!isEksIssuerPath(path) || ctx.clustersByPath.has(path)) return null;
  return {
    id: findingId("orphan-oidc-provider", p.arn),
    kind: "orphan-oidc-provider",
    severity: "low",
    title: `IAM OIDC provider ${path} belongs to no existing cluster`,
    detail: `No scanned cluster uses this issuer.${roles.length ? ` Still referenced by ${roles.map(roleName).join(", ")}.` : ""}${staleNote(ctx)}`,
    accountId: p.accountId,
    oidcProviderArn: p.arn,
    fix: {
      kind: "delete-oidc-provider",
      description: `${roles.length ? "After removing the trust statements above, d" : "D"}elete it: aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ${p.arn}`,
    },
  };
}
