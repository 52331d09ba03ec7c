import type { DriftFinding } from "@/lib/drift/compute";
import { actionsOf } from "@/lib/drift/resolve";
import type { DriftRowData, ShownState } from "./drift-rows";

/** A finding's values for the client rows (DriftRows): the fields a row shows, nothing else of either side. */
export function driftRowData(f: DriftFinding): DriftRowData {
  const shown = (x?: ShownState): ShownState | undefined => x && { roleArn: x.roleArn, targetRoleArn: x.targetRoleArn, associationId: x.associationId };
  return { key: f.key, cluster: f.cluster, namespace: f.namespace, serviceAccount: f.serviceAccount, approved: shown(f.approved), actual: shown(f.actual), differences: f.differences, actions: actionsOf(f) };
}
