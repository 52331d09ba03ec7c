// Service accounts annotated eks.amazonaws.com/role-arn whose role does not
// trust them on their cluster (wrong subject, issuer missing: Blue/Green gap).
import { canAssume, normalizeIssuer } from "@/lib/trust";
import { textDiff } from "../../fixes/diff";
import { addIrsaSubject, subjectOf } from "../../fixes/irsa-trust";
import { formatPolicy, readPolicy } from "../../fixes/policy-json";
import { accountOfArn, accountScanned } from "../roles";
import type { SnapshotCluster } from "../../snapshot-types";
import { findingId, IRSA_ANNOTATION, roleName, type AnalysisContext, type Finding } from "./types";

export function irsaAnnotationFindings(ctx: AnalysisContext): Finding[] {
  return ctx.snapshot.clusters.flatMap((c) => irsaAnnotationFindingsForCluster(ctx, c));
}

export function irsaAnnotationFindingsForCluster(ctx: Pick<AnalysisContext, "snapshot" | "roles" | "irsaEdgeKeys">, c: SnapshotCluster): Finding[] {
  const out: Finding[] = [];
  for (const sa of c.serviceAccounts) {
    const roleArn = sa.annotations[IRSA_ANNOTATION];
    if (!roleArn || ctx.irsaEdgeKeys.has(`${c.arn}|${sa.namespace}/${sa.name}|${roleArn}`)) continue;
    const r = ctx.roles.get(roleArn);
    if (!r && !accountScanned(ctx.snapshot, accountOfArn(roleArn))) continue;
    const base = {
      id: findingId("irsa-annotation-not-trusted", c.arn, sa.namespace, sa.name, roleArn),
      kind: "irsa-annotation-not-trusted" as const,
      severity: "high" as const,
      title: `${sa.namespace}/${sa.name} on ${c.name} is annotated with ${roleName(roleArn)}, which does not trust it`,
      accountId: c.accountId,
      cluster: c.name,
      clusterArn: c.arn,
      namespace: sa.namespace,
      serviceAccount: sa.name,
      roleArn,
    };
    if (!r?.policy || !c.oidcIssuer) {
      const why = !r ? "the role does not exist" : !c.oidcIssuer ? "the cluster has no OIDC issuer" : `the trust policy is unreadable (${r.parseError})`;
      out.push({ ...base, detail: `AssumeRoleWithWebIdentity fails: ${why}.` });
      continue;
    }
    const path = normalizeIssuer(c.oidcIssuer);
    const issuerTrusted = r.grants?.irsa.some((g) => g.providerPath === path) ?? false;
    const input = { mechanism: "irsa" as const, issuer: c.oidcIssuer, namespace: sa.namespace, serviceAccount: sa.name, providerAccount: r.role.accountId };
    const providerArn = `arn:aws:iam::${r.role.accountId}:oidc-provider/${path}`;
    const json = formatPolicy(addIrsaSubject(r.role.trustPolicy, providerArn, subjectOf(sa.namespace, sa.name)));
    out.push({
      ...base,
      detail: `${canAssume(r.policy, input).reason}${issuerTrusted ? "" : ` The trust never names the issuer of ${c.name} (Blue/Green gap?).`}`,
      fix: {
        kind: "trust-policy",
        description: issuerTrusted
          ? `Add ${subjectOf(sa.namespace, sa.name)} to the trusted subjects for ${c.name}, or remove the annotation.`
          : `Add a statement for the ${c.name} issuer (${providerArn}) trusting ${subjectOf(sa.namespace, sa.name)}.`,
        json,
        diff: textDiff(formatPolicy(readPolicy(r.role.trustPolicy)), json, ["current", "corrected"]),
        verified: canAssume(json, input).allowed,
      },
    });
  }
  return out;
}
