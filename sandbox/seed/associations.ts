// Pod identity associations of the demo fleet. The spec table is the single
// source the roles (node-role resource list), pods (env injection) and the
// situations manifest derive from.
import type { SandboxAssociation } from "../model";
import { BLUE, COMPUTE_NS, GREEN, LAKE_ACCOUNT, PLATFORM_NS, ROLEGATE_TAG, associationArn, roleArn } from "./constants";
import { workloadRoleArn } from "./roles-workload";
import { associationId, daysAgo, uuidFrom } from "./ids";
import { policyDoc, allow } from "./policies";

export interface AssociationSpec {
  cluster: string;
  namespace: string;
  sa: string;
  role: string;
  /** Cross-account target role name in the data-lake account. */
  target?: string;
  disableSessionTags?: boolean;
  policy?: string;
  /** Created by hand or by another tool: no RoleGate tags. */
  outOfBand?: boolean;
  /** Created by this add-on (ownerArn set); must not be edited. */
  ownerAddon?: string;
  createdDaysAgo: number;
  modifiedDaysAgo?: number;
}

const c = (sa: string, role: string, createdDaysAgo: number, extra: Partial<AssociationSpec> = {}) => ({
  namespace: COMPUTE_NS,
  sa,
  role,
  createdDaysAgo,
  ...extra,
});

/** Session policy limiting a disableSessionTags association to read-only warehouse access. */
const LEGACY_DWH_SESSION_POLICY = policyDoc(
  allow(["redshift:GetClusterCredentials", "redshift-data:ExecuteStatement", "redshift-data:GetStatementResult"], "*"),
);

type OnCluster = Omit<AssociationSpec, "cluster">;
const onCluster = (cluster: string, specs: OnCluster[]): AssociationSpec[] => specs.map((s) => ({ cluster, ...s }));

export const ASSOCIATION_SPECS: AssociationSpec[] = [
  // Blue: older, fewer associations; the pod identity agent add-on is missing there.
  ...onCluster(BLUE, [
    c("svc-etl-nightly", "domino-pi-etl-nightly", 190),
    c("svc-etl-hourly", "domino-pi-etl-hourly", 180),
    c("svc-feature-store", "domino-pi-feature-store", 150),
    c("svc-finance-export", "domino-pi-finance-export", 120),
    c("svc-reporting-legacy", "domino-pi-retired-reporting", 200),
    c("svc-notebook-sync", "domino-pi-notebook-sync", 90, { outOfBand: true }),
    c("svc-airflow-bridge", "domino-pi-airflow-bridge", 2),
    c("svc-lake-reader", "domino-pi-cross-source-lake", 75, { target: "datalake-domino-read" }),
  ]),
  // Green: the new cluster most mappings were copied to.
  ...onCluster(GREEN, [
    c("svc-etl-nightly", "domino-pi-etl-nightly", 40),
    c("svc-etl-hourly", "domino-pi-etl-hourly", 40),
    c("svc-feature-store", "domino-pi-feature-store", 39),
    c("svc-model-registry", "domino-pi-model-registry", 38),
    c("svc-batch-scoring", "domino-pi-batch-scoring", 35),
    c("svc-report-builder", "domino-pi-report-builder", 1),
    c("svc-data-quality", "domino-pi-data-quality", 30),
    c("svc-s3-ingest", "domino-pi-s3-ingest", 28),
    c("svc-kinesis-consumer", "domino-pi-kinesis-consumer", 25, { outOfBand: true }),
    c("svc-glue-crawler", "domino-pi-glue-crawler", 22),
    c("svc-forecasting", "domino-pi-forecasting", 9),
    c("svc-snowflake-export", "domino-pi-snowflake-export", 14),
    c("svc-legacy-dwh", "domino-pi-legacy-dwh", 20, { disableSessionTags: true, policy: LEGACY_DWH_SESSION_POLICY }),
    c("svc-finance-export", "domino-pi-finance-export", 33),
    c("svc-lake-reader", "domino-pi-cross-source-lake", 36, { target: "datalake-domino-read" }),
    c("svc-lake-writer", "domino-pi-cross-source-lake-write", 18, { target: "datalake-domino-write" }),
    c("svc-audit-export", "domino-pi-cross-source-audit", 16, { target: "datalake-audit-read", disableSessionTags: true }),
    c("svc-model-monitor", "domino-both-mechanisms", 12),
    c("svc-spark-jobs", "domino-irsa-emr-studio", 7),
    c("svc-abac-jobs", "domino-pi-abac-guarded", 11),
    // Role switched two hours ago: running pods still hold the old role's cached credentials.
    c("svc-mlflow", "domino-pi-mlflow", 27, { outOfBand: true, modifiedDaysAgo: 2 / 24 }),
    { namespace: PLATFORM_NS, sa: "nucleus-frontend", role: "domino-platform-blob-store", createdDaysAgo: 42 },
    {
      namespace: "kube-system",
      sa: "ebs-csi-controller-sa",
      role: "domino-green-ebs-csi-driver",
      createdDaysAgo: 44,
      ownerAddon: "aws-ebs-csi-driver",
    },
  ]),
];

/** External id EKS generated for a cross-account association (the target trust must require it). */
export const associationExternalId = (s: Pick<AssociationSpec, "cluster" | "namespace" | "sa">) =>
  uuidFrom("externalId", s.cluster, s.namespace, s.sa);

export const specAssociationId = (s: Pick<AssociationSpec, "cluster" | "namespace" | "sa">) =>
  associationId(s.cluster, s.namespace, s.sa);

export function buildAssociation(
  s: AssociationSpec,
  now: Date,
  addonArn: (cluster: string, addon: string) => string,
): SandboxAssociation {
  const id = specAssociationId(s);
  const tags: Record<string, string> = s.outOfBand || s.ownerAddon
    ? s.outOfBand ? { team: "data-platform", "created-by": "terraform" } : {}
    : { [ROLEGATE_TAG]: "rolegate", "rolegate.io/request-id": `req-${id.slice(2, 10)}` };
  const createdAt = daysAgo(now, s.createdDaysAgo);
  return {
    associationId: id,
    associationArn: associationArn(s.cluster, id),
    clusterName: s.cluster,
    namespace: s.namespace,
    serviceAccount: s.sa,
    roleArn: workloadRoleArn(s.role),
    ...(s.target ? { targetRoleArn: roleArn(s.target, LAKE_ACCOUNT), externalId: associationExternalId(s) } : {}),
    disableSessionTags: s.disableSessionTags ?? false,
    ...(s.policy ? { policy: s.policy } : {}),
    tags,
    createdAt,
    modifiedAt: s.modifiedDaysAgo !== undefined ? daysAgo(now, s.modifiedDaysAgo) : createdAt,
    ...(s.ownerAddon ? { ownerArn: addonArn(s.cluster, s.ownerAddon) } : {}),
  };
}

/** The spec of the association for (cluster, ns, sa), if one exists. */
export const findAssociationSpec = (cluster: string, namespace: string, sa: string) =>
  ASSOCIATION_SPECS.find((s) => s.cluster === cluster && s.namespace === namespace && s.sa === sa);
