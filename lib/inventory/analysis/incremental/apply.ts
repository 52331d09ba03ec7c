// Applying deltas: each kind of change goes to the side that owns it (role,
// service account and cluster, association, OIDC provider), and what comes
// back is netted so re-evaluations that changed nothing are not reported.
import type { SnapshotOidcProvider } from "../../snapshot-types";
import type { AnalysisDelta } from "./delta";
import { applyAssociation } from "./association-deltas";
import { applyCluster, applyServiceAccount } from "./cluster-deltas";
import { removeIn, upsertIn } from "./collections";
import { net, newChanges, type EdgeChanges } from "./edge-changes";
import { applyRole } from "./role-deltas";
import type { AnalysisIndex } from "./state";

/** A provider has no edges: only its own orphan finding reads it. */
function applyProvider(index: AnalysisIndex, arn: string, provider: SnapshotOidcProvider | null): void {
  const same = (p: SnapshotOidcProvider) => p.arn === arn;
  if (provider) upsertIn(index.snapshot.oidcProviders, provider, same);
  else removeIn(index.snapshot.oidcProviders, same);
  index.dirty.add(`provider:${arn}`);
}

type Handlers = { [K in AnalysisDelta["kind"]]: (index: AnalysisIndex, d: Extract<AnalysisDelta, { kind: K }>, ch: EdgeChanges) => void };
const HANDLERS: Handlers = {
  "role-upsert": (index, d, ch) => applyRole(index, d.role.arn, d.role, ch),
  "role-remove": (index, d, ch) => applyRole(index, d.roleArn, null, ch),
  "service-account-upsert": (index, d, ch) => applyServiceAccount(index, d.clusterArn, d.serviceAccount.namespace, d.serviceAccount.name, d.serviceAccount, ch),
  "service-account-remove": (index, d, ch) => applyServiceAccount(index, d.clusterArn, d.namespace, d.name, null, ch),
  "association-upsert": (index, d, ch) => applyAssociation(index, d.clusterArn, d.association.associationId, d.association, ch),
  "association-remove": (index, d, ch) => applyAssociation(index, d.clusterArn, d.associationId, null, ch),
  "oidc-provider-upsert": (index, d) => applyProvider(index, d.provider.arn, d.provider),
  "oidc-provider-remove": (index, d) => applyProvider(index, d.arn, null),
  "cluster-upsert": (index, d, ch) => applyCluster(index, d.cluster.arn, d.cluster, ch),
  "cluster-remove": (index, d, ch) => applyCluster(index, d.clusterArn, null, ch),
};

/** Applies one change to the index; returns the edges it added and removed (unchanged re-evaluations left out). */
export function applyDelta(index: AnalysisIndex, delta: AnalysisDelta): EdgeChanges {
  const ch = newChanges();
  (HANDLERS[delta.kind] as (index: AnalysisIndex, d: AnalysisDelta, ch: EdgeChanges) => void)(index, delta, ch);
  index.findings = null;
  return net(ch);
}

/** Applies a sequence of deltas; the changes of all of them, netted. */
export function applyDeltas(index: AnalysisIndex, deltas: Iterable<AnalysisDelta>): EdgeChanges {
  const all = newChanges();
  for (const d of deltas) {
    const ch = applyDelta(index, d);
    all.added.push(...ch.added);
    all.removed.push(...ch.removed);
    all.patterns.added.push(...ch.patterns.added);
    all.patterns.removed.push(...ch.patterns.removed);
  }
  return net(all);
}
