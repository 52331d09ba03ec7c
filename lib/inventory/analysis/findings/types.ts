// Findings: what is wrong with a mapping, how bad, and a generated fix.
import type { InventorySnapshot, SnapshotCluster } from "../../snapshot-types";
import type { EdgeSet, IndexedRole, PodIdentityEdge } from "../model";
import { accountOfArn } from "../roles";

export type Severity = "high" | "medium" | "low" | "info";

export type FindingKind =
  | "addon-missing"
  | "node-role-missing-mapped-role"
  | "pod-identity-trust-missing-tagsession"
  | "pod-identity-trust-denies"
  | "pod-identity-role-not-trusted"
  | "association-role-missing"
  | "association-target-role-missing"
  | "cross-account-external-id-mismatch"
  | "cross-account-target-not-trusted"
  | "irsa-annotation-not-trusted"
  | "irsa-wildcard-subject"
  | "irsa-aud-only-trust"
  | "trust-references-deleted-cluster"
  | "orphan-oidc-provider"
  | "pod-created-before-association"
  | "pod-predates-association-change"
  | "pod-identity-env-without-association"
  | "pod-missing-irsa-env"
  | "sa-both-mechanisms";

export interface Fix {
  kind: string;
  description: string;
  /** The corrected / generated policy document, pretty-printed. */
  json?: string;
  /** Textual diff current -> corrected. */
  diff?: string;
  /** The generated trust policy was re-evaluated with lib/trust and lets the intended caller in. */
  verified?: boolean;
}

export interface Finding {
  /** Stable across scans for the same problem. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  detail: string;
  accountId?: string;
  cluster?: string;
  clusterArn?: string;
  namespace?: string;
  serviceAccount?: string;
  roleArn?: string;
  associationId?: string;
  pods?: string[];
  oidcProviderArn?: string;
  nodeRoleArn?: string;
  targetRoleArn?: string;
  fix?: Fix;
}

export interface AnalysisContext {
  snapshot: InventorySnapshot;
  roles: Map<string, IndexedRole>;
  edges: EdgeSet;
  /** Issuer provider path -> clusters using it. */
  clustersByPath: Map<string, SnapshotCluster[]>;
  /** edgeKey() of every IRSA edge (a Set, or the incremental analysis's edge map). */
  irsaEdgeKeys: Pick<ReadonlySet<string>, "has">;
}

/** What a finding about a Pod Identity association says about where it is (accountId: the cluster's, unless the finding overrides it). */
export const associationFields = (e: PodIdentityEdge) => ({
  accountId: accountOfArn(e.clusterArn),
  cluster: e.cluster,
  clusterArn: e.clusterArn,
  namespace: e.namespace,
  serviceAccount: e.serviceAccount,
  roleArn: e.roleArn,
  associationId: e.associationId,
});

export const findingId = (kind: FindingKind, ...parts: (string | undefined)[]) => [kind, ...parts.map((p) => p ?? "")].join(":");

export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";
export const POD_IDENTITY_ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
export const IRSA_ENV = "AWS_ROLE_ARN";

/** EKS issuer paths look like oidc.eks.<region>.amazonaws.com/id/<ID>; anything else is not an EKS cluster. */
export const isEksIssuerPath = (path: string) => /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+$/.test(path);

export const roleName = (arn: string) => arn.split("/").pop() ?? arn;
