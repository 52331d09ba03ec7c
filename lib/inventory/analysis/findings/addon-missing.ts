// Associations on a cluster without the Pod Identity agent: none of them delivers credentials.
// Auto Mode clusters have it built in, and a self-managed DaemonSet (Helm) with ready pods counts too.
import type { SnapshotCluster } from "../../snapshot-types";
import { findingId, type AnalysisContext, type Finding } from "./types";

export function addonMissingFindings(ctx: AnalysisContext): Finding[] {
  return ctx.snapshot.clusters.flatMap(addonMissingForCluster);
}

/** The finding of one cluster, if it has one (the incremental analysis re-runs it per cluster). */
export function addonMissingForCluster(c: SnapshotCluster): Finding[] {
  return [c]
    .filter((c) => c.associations.length > 0 && !c.podIdentityAgentInstalled && !c.autoMode && !(c.agentDaemonSet && c.agentDaemonSet.ready > 0))
    .map((c) => ({
      id: findingId("addon-missing", c.arn),
      kind: "addon-missing",
      severity: "high",
      title: `${c.name} has Pod Identity associations but no eks-pod-identity-agent add-on`,
      detail: `${c.associations.length} association(s) on ${c.name} cannot deliver credentials: pods get the Pod Identity env but nothing answers on 169.254.170.23.`,
      accountId: c.accountId,
      cluster: c.name,
      clusterArn: c.arn,
      fix: {
        kind: "install-addon",
        description: `Install the add-on: aws eks create-addon --cluster-name ${c.name} --addon-name eks-pod-identity-agent --region ${c.region}`,
      },
    }));
}
