// Shared types of the who-can-assume analysis (edges, mappings, findings).
import type { TrustGrants, TrustPolicy } from "@/lib/trust";
import type { SnapshotCluster, SnapshotRole } from "../snapshot-types";

type EdgeMechanism = "irsa" | "pod-identity";

/** A service account that can become a role through IRSA (the trust policy allows it). */
export interface IrsaEdge {
  mechanism: "irsa";
  clusterArn: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  /** How the index found it: exact subject, wildcard subject, no :sub condition, or full evaluation (inexact policy). */
  via: "exact" | "wildcard" | "any-sa" | "evaluated";
}

export interface CrossAccountTarget {
  roleArn: string;
  /** false when the target's account was scanned and the role is not there; null when its account was not scanned. */
  exists: boolean | null;
  /** Whether the target's trust lets the source role chain into it with the association's external id; null = unknown. */
  allowed: boolean | null;
  reason: string;
}

/** A Pod Identity association, with whether the role's trust actually lets it through. */
export interface PodIdentityEdge {
  mechanism: "pod-identity";
  clusterArn: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationId: string;
  sessionTags: boolean;
  addonOwned: boolean;
  roleExists: boolean;
  allowed: boolean;
  reason: string;
  target?: CrossAccountTarget;
}

export type Edge = IrsaEdge | PodIdentityEdge;

/** A wildcard or subject-less IRSA grant, shown as e.g. "any SA in domino-compute". */
export interface PatternEdge {
  clusterArn: string;
  cluster: string;
  roleArn: string;
  /** The :sub pattern (StringLike), or null when the statement has no :sub condition. */
  pattern: string | null;
  /** Namespace the pattern is confined to, when it is. */
  namespace: string | null;
  label: string;
  /** Existing service accounts ("ns/name") that the role actually lets in through this pattern. */
  matches: string[];
}

/** Derived per (cluster, SA, role) view: how the SA reaches the role. */
export interface SaRoleMapping {
  clusterArn: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  mechanism: EdgeMechanism | "both";
  irsa?: IrsaEdge;
  podIdentity?: PodIdentityEdge;
}

export interface EdgeSet {
  irsa: IrsaEdge[];
  podIdentity: PodIdentityEdge[];
  patterns: PatternEdge[];
}

/** A role of the snapshot with its trust policy parsed once. */
export interface IndexedRole {
  role: SnapshotRole;
  policy: TrustPolicy | null;
  grants: TrustGrants | null;
  parseError?: string;
}

export interface ClusterRef {
  cluster: SnapshotCluster;
  /** normalizeIssuer(oidcIssuer), or null without an issuer. */
  providerPath: string | null;
}
