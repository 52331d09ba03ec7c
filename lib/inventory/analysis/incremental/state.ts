// The index's state: what the full analysis computes, kept keyed by what it
// depends on so a delta can find the parts it affects. Every side (roles,
// clusters and service accounts, associations, findings) reads and writes this
// one shape; the keys and the model copy live here so they agree on them.
import type { InventorySnapshot, SnapshotAssociation, SnapshotCluster } from "../../snapshot-types";
import type { Finding } from "../findings/types";
import type { IrsaIndex } from "../irsa-index";
import type { ClusterRef, IndexedRole, IrsaEdge, PatternEdge, PodIdentityEdge } from "../model";

export interface AnalysisIndex {
  /** The index's own copy of the model; deltas update it. */
  readonly snapshot: InventorySnapshot;
  readonly roles: Map<string, IndexedRole>;
  /** Position of each role in snapshot order (appended roles get higher numbers). */
  roleSeq: Map<string, number>;
  nextSeq: number;
  irsa: IrsaIndex;
  refs: Map<string, ClusterRef>;
  clustersByPath: Map<string, SnapshotCluster[]>;
  irsaEdges: Map<string, IrsaEdge>;
  irsaByRole: Map<string, Set<string>>;
  irsaBySa: Map<string, Set<string>>;
  /** `${roleArn}|${clusterArn}` -> that role's pattern edges on that cluster. */
  patterns: Map<string, PatternEdge[]>;
  patternClusters: Map<string, Set<string>>;
  podIdentity: Map<string, PodIdentityEdge>;
  associations: Map<string, { cluster: SnapshotCluster; a: SnapshotAssociation }>;
  /** Role or cross-account target ARN -> association keys. */
  assocByRole: Map<string, Set<string>>;
  /** Issuer path -> roles with an aud-only or wildcard Allow grant on it (their irsa-subject findings count SAs). */
  broadByPath: Map<string, Set<string>>;
  /** EKS issuer path -> roles whose trust names it (their deleted-cluster findings depend on the cluster set). */
  pathRefs: Map<string, Set<string>>;
  saPos: Map<string, Map<string, number>>;
  units: Map<string, Finding[]>;
  /** Provider ARN -> roles with a stale reference to it (from the role units). */
  staleRefs: Map<string, Set<string>>;
  dirty: Set<string>;
  /** Roles whose annotated SAs' cluster units must be re-run (resolved lazily by findingsOf). */
  annotationRoles: Set<string>;
  findings: Finding[] | null;
}

export const saKeyOf = (clusterArn: string, namespace: string, name: string) => `${clusterArn}|${namespace}/${name}`;
export const assocKeyOf = (clusterArn: string, id: string) => `${clusterArn}|${id}`;
export const pairKey = (roleArn: string, clusterArn: string) => `${roleArn}|${clusterArn}`;

export const ownCluster = (c: SnapshotCluster): SnapshotCluster => ({ ...c, serviceAccounts: [...c.serviceAccounts], associations: [...c.associations] });
/** A copy of a model whose lists deltas can change without touching the original (deltas replace items, never edit them). */
export const modelCopy = (snapshot: InventorySnapshot): InventorySnapshot => ({ ...snapshot, roles: [...snapshot.roles], oidcProviders: [...snapshot.oidcProviders], clusters: snapshot.clusters.map(ownCluster) });

export const nodeRolesOf = (c: SnapshotCluster | undefined) => (c ? [...new Set(c.nodegroups.map((n) => n.nodeRoleArn))] : []);

/** A cluster's finding unit and its node roles' (a node role's findings read the associations of the clusters using it). */
export function markCluster(index: AnalysisIndex, c: SnapshotCluster): void {
  index.dirty.add(`cluster:${c.arn}`);
  for (const nr of nodeRolesOf(c)) index.dirty.add(`node:${nr}`);
}
