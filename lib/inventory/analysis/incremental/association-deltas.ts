// The Pod Identity side: one edge per association, evaluated against the
// current roles (the association's role and its cross-account target), and
// the association-to-role lookup that lets a role change re-evaluate exactly
// the associations that use it or chain into it.
import { podIdentityEdge } from "../pod-identity-edges";
import type { SnapshotAssociation, SnapshotCluster } from "../../snapshot-types";
import { addTo, removeIn, takeFrom, upsertIn } from "./collections";
import type { EdgeChanges } from "./edge-changes";
import { assocKeyOf, markCluster, type AnalysisIndex } from "./state";

export function putAssociation(index: AnalysisIndex, c: SnapshotCluster, a: SnapshotAssociation, ch: EdgeChanges): void {
  const key = assocKeyOf(c.arn, a.associationId);
  const e = podIdentityEdge(index.snapshot, index.roles, c, a);
  index.podIdentity.set(key, e);
  index.associations.set(key, { cluster: c, a });
  addTo(index.assocByRole, a.roleArn, key);
  if (a.targetRoleArn) addTo(index.assocByRole, a.targetRoleArn, key);
  ch.added.push(e);
  markAssociation(index, key, a);
}
export function dropAssociation(index: AnalysisIndex, key: string, ch: EdgeChanges): void {
  const held = index.associations.get(key);
  if (!held) return;
  const { a } = held;
  markAssociation(index, key, a);
  ch.removed.push(index.podIdentity.get(key)!);
  index.podIdentity.delete(key);
  index.associations.delete(key);
  takeFrom(index.assocByRole, a.roleArn, key);
  if (a.targetRoleArn) takeFrom(index.assocByRole, a.targetRoleArn, key);
}
/** An association's unit, and those of associations chaining through the same role (their corrected target trust lists every external id). */
function markAssociation(index: AnalysisIndex, key: string, a: SnapshotAssociation): void {
  index.dirty.add(`assoc:${key}`);
  for (const k of index.assocByRole.get(a.roleArn) ?? []) if (index.associations.get(k)?.a.targetRoleArn) index.dirty.add(`assoc:${k}`);
}

/** Pod Identity edges of the associations using the role or chaining into it (a role change can flip whether EKS may assume it). */
export function reevaluateAssociationsOf(index: AnalysisIndex, roleArn: string, ch: EdgeChanges): void {
  for (const k of [...(index.assocByRole.get(roleArn) ?? [])]) {
    const { cluster, a } = index.associations.get(k)!;
    ch.removed.push(index.podIdentity.get(k)!);
    const e = podIdentityEdge(index.snapshot, index.roles, cluster, a);
    index.podIdentity.set(k, e);
    ch.added.push(e);
    index.dirty.add(`assoc:${k}`);
  }
}

export function applyAssociation(index: AnalysisIndex, clusterArn: string, associationId: string, a: SnapshotAssociation | null, ch: EdgeChanges): void {
  const ref = index.refs.get(clusterArn);
  if (!ref) return;
  const c = ref.cluster;
  const same = (x: SnapshotAssociation) => x.associationId === associationId;
  if (a) upsertIn(c.associations, a, same);
  else removeIn(c.associations, same);
  const key = assocKeyOf(clusterArn, associationId);
  dropAssociation(index, key, ch);
  if (a) putAssociation(index, c, a, ch);
  markCluster(index, c);
}
