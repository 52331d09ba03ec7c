// Which Kubernetes service accounts exist on which cluster, their IRSA
// annotations, and the pods that deviate from the normal timeline on purpose.
import { BLUE, GREEN } from "./constants";

const USERS = [
  "jsmith", "akim", "mgarcia", "nwong", "intern-pchen", "rpatel", "lnguyen", "tjohnson", "ebrown",
  "dlee", "swilliams", "kmartin", "hthomas", "oanderson", "cjackson", "bwhite", "fharris", "gclark",
].map((u) => `dmuser-${u}`);

const SERVICES = [
  "etl-nightly", "etl-hourly", "feature-store", "model-registry", "batch-scoring", "report-builder", "data-quality",
  "s3-ingest", "kinesis-consumer", "glue-crawler", "forecasting", "snowflake-export", "legacy-dwh", "finance-export",
  "lake-reader", "lake-writer", "audit-export", "model-monitor", "spark-jobs", "abac-jobs", "mlflow", "notebook-sync",
  "airflow-bridge", "reporting-legacy", "churn-model", "batch-01", "batch-02",
].map((s) => `svc-${s}`);

const BLUE_ONLY = new Set(["svc-reporting-legacy", "svc-notebook-sync", "svc-airflow-bridge"]);
const GREEN_ONLY = new Set([
  "svc-forecasting", "svc-snowflake-export", "svc-legacy-dwh", "svc-lake-writer", "svc-audit-export", "svc-model-monitor",
  "svc-spark-jobs", "svc-abac-jobs", "svc-mlflow", "svc-churn-model", "svc-batch-02", "dmuser-nwong", "dmuser-intern-pchen",
  "dmuser-swilliams",
]);

/** Domino-compute service accounts of a cluster. */
export function computeServiceAccounts(cluster: string): string[] {
  const skip = cluster === BLUE ? GREEN_ONLY : BLUE_ONLY;
  return [...USERS, ...SERVICES].filter((n) => !skip.has(n));
}

/** IRSA annotations: cluster -> "ns/sa" -> workload role name. */
export const IRSA_ANNOTATIONS: Record<string, Record<string, string>> = {
  [BLUE]: {
    "domino-compute/dmuser-jsmith": "domino-irsa-ds-team",
    "domino-compute/dmuser-akim": "domino-irsa-analytics-readonly",
    "domino-compute/dmuser-rpatel": "domino-irsa-ml-training",
    "domino-compute/dmuser-lnguyen": "domino-irsa-sagemaker",
    "domino-compute/dmuser-tjohnson": "domino-irsa-legacy-and-blue",
    "domino-compute/dmuser-ebrown": "domino-irsa-athena-query",
    "domino-compute/dmuser-dlee": "domino-irsa-aud-only",
    "domino-compute/dmuser-kmartin": "domino-irsa-emr-studio",
    "domino-compute/svc-batch-01": "domino-irsa-batch-pattern",
    "domino-platform/nucleus-frontend": "domino-platform-blob-store",
    "kube-system/aws-node": "domino-blue-vpc-cni",
    "kube-system/cluster-autoscaler": "domino-cluster-autoscaler",
    "kube-system/external-dns": "domino-external-dns",
  },
  [GREEN]: {
    "domino-compute/dmuser-jsmith": "domino-irsa-ds-team",
    "domino-compute/dmuser-akim": "domino-irsa-analytics-readonly",
    // Trust names dmuser-akim only.
    "domino-compute/dmuser-mgarcia": "domino-irsa-analytics-readonly",
    // Trust still names the Blue issuer only.
    "domino-compute/dmuser-rpatel": "domino-irsa-ml-training",
    "domino-compute/dmuser-ebrown": "domino-irsa-athena-query",
    "domino-compute/dmuser-nwong": "domino-irsa-bedrock",
    "domino-compute/dmuser-swilliams": "domino-irsa-compute-wildcard",
    "domino-compute/dmuser-kmartin": "domino-irsa-emr-studio",
    "domino-compute/dmuser-hthomas": "domino-irsa-redshift-query",
    "domino-compute/svc-batch-01": "domino-irsa-batch-pattern",
    "domino-compute/svc-batch-02": "domino-irsa-batch-pattern",
    "domino-compute/svc-model-monitor": "domino-both-mechanisms",
    "kube-system/cluster-autoscaler": "domino-cluster-autoscaler",
    "kube-system/external-dns": "domino-external-dns",
    "kube-system/cloudwatch-agent": "domino-cloudwatch-agent",
  },
};

/** System service accounts per namespace (all clusters), plus cluster-specific extras. */
export const SYSTEM_SERVICE_ACCOUNTS: Record<string, string[]> = {
  "kube-system": ["aws-node", "coredns", "kube-proxy", "cluster-autoscaler", "external-dns"],
  "domino-platform": ["nucleus-frontend", "nucleus-dispatcher", "mongodb", "rabbitmq"],
};
export const GREEN_SYSTEM_EXTRAS = ["eks-pod-identity-agent", "ebs-csi-controller-sa", "ebs-csi-node-sa", "cloudwatch-agent"];

export interface PodOverride {
  /** Pod age in days. */
  ageDays: number;
  /** Force the Pod Identity env on or off regardless of the association timeline. */
  podIdentity?: boolean;
  irsa?: boolean;
}

/**
 * Pods that break the normal "created after its mappings" timeline, keyed
 * "cluster/ns/sa". Every other pod is younger than its SA's association.
 */
export const POD_OVERRIDES: Record<string, PodOverride[]> = {
  // Created before the association (1 day old): no credentials until restarted; the younger one is fine.
  [`${GREEN}/domino-compute/svc-report-builder`]: [{ ageDays: 2.4 }, { ageDays: 0.4 }],
  [`${BLUE}/domino-compute/svc-airflow-bridge`]: [{ ageDays: 4.2 }],
  // Association re-pointed two hours ago; these pods hold cached credentials of the previous role.
  [`${GREEN}/domino-compute/svc-mlflow`]: [{ ageDays: 2.1 }, { ageDays: 1.3 }],
  // Association deleted since; the pod still carries Pod Identity env.
  [`${GREEN}/domino-compute/svc-churn-model`]: [{ ageDays: 6.5, podIdentity: true }],
  // Annotation added after the workspace started: no IRSA env in the running pod.
  [`${GREEN}/domino-compute/dmuser-nwong`]: [{ ageDays: 5.5, irsa: false }],
};
