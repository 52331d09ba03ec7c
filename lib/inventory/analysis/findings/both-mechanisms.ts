// A service account with an IRSA annotation AND a Pod Identity association on
// the same cluster: the SDK credential chain picks web identity first, so the
// association is shadowed.
import type { SnapshotCluster } from "../../snapshot-types";
import { findingId, IRSA_ANNOTATION, roleName, type AnalysisContext, type Finding } from "./types";

export function bothMechanismsFindings(ctx: AnalysisContext): Finding[] {
  return ctx.snapshot.clusters.flatMap(bothMechanismsForCluster);
}

export function bothMechanismsForCluster(c: SnapshotCluster): Finding[] {
  const out: Finding[] = [];
  const sas = new Map(c.serviceAccounts.map((s) => [`${s.namespace}/${s.name}`, s]));
  for (const a of c.associations) {
    const annotated = sas.get(`${a.namespace}/${a.serviceAccount}`)?.annotations[IRSA_ANNOTATION];
    if (!annotated) continue;
    out.push({
      id: findingId("sa-both-mechanisms", a.associationId),
      kind: "sa-both-mechanisms",
      severity: "low",
      title: `${a.namespace}/${a.serviceAccount} on ${c.name} uses IRSA and Pod Identity at once`,
      detail: `Annotated with ${roleName(annotated)} and associated with ${roleName(a.roleArn)}: AWS SDKs try web identity before container credentials, so the association is shadowed.`,
      accountId: c.accountId,
      cluster: c.name,
      clusterArn: c.arn,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: a.roleArn,
      associationId: a.associationId,
      fix: { kind: "pick-one-mechanism", description: `Remove the ${IRSA_ANNOTATION} annotation (kubectl -n ${a.namespace} annotate sa ${a.serviceAccount} ${IRSA_ANNOTATION}-) and restart the pods, or delete the association if IRSA is meant to stay.` },
    });
  }
  return out;
}
