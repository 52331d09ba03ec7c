// Machine-readable list of what the demo fleet seeds on purpose. The inventory
// analysis is tested against it: every entry with problem=true must be found,
// and entries with problem=false are look-alikes that must NOT be reported.
import { specAssociationId } from "./associations";
import { BLUE, COMPUTE_NS, GREEN, LAKE_ACCOUNT, LEGACY, PLATFORM_NS, PROD_ACCOUNT, oidcProviderArn, roleArn } from "./constants";
import { computePodName } from "./kube";
import { NODE_POLICY_FORGOTTEN_ROLE } from "./roles-infra";
import { workloadRoleArn } from "./roles-workload";
import { AUTO, MIXED, SELF_MANAGED, SERVERLESS_NS, WEST_BATCH_ROLE } from "./placement";

type SituationKind =
  | "addon-missing"
  | "node-role-missing-mapped-role"
  | "pod-identity-trust-missing-tagsession"
  | "pod-identity-trust-denies"
  | "pod-identity-role-not-trusted"
  | "association-role-missing"
  | "cross-account-external-id-mismatch"
  | "irsa-annotation-not-trusted"
  | "irsa-wildcard-subject"
  | "irsa-aud-only-trust"
  | "trust-references-deleted-cluster"
  | "orphan-oidc-provider"
  | "pod-created-before-association"
  | "pod-predates-association-change"
  | "pod-identity-env-without-association"
  | "pod-missing-irsa-env"
  | "sa-both-mechanisms"
  | "association-out-of-band"
  | "association-addon-owned"
  | "role-trusts-both-mechanisms"
  | "non-eks-web-identity"
  | "node-role-unrestricted"
  | "agent-built-in-auto-mode"
  | "agent-self-managed"
  | "agent-not-ready-on-node"
  | "sa-on-fargate"
  | "sa-on-windows"
  | "sa-on-linux-nodes";

/** Placement situations: checked by the placement analysis (tests/analysis/placement.test.ts), not by findings. */
export const PLACEMENT_KINDS: ReadonlySet<SituationKind> = new Set(["agent-built-in-auto-mode", "agent-self-managed", "agent-not-ready-on-node", "sa-on-fargate", "sa-on-windows", "sa-on-linux-nodes"]);

export interface SeededSituation {
  /** Stable slug, unique in the manifest. */
  id: string;
  kind: SituationKind;
  /** false: a deliberate look-alike that a correct analysis must not flag. */
  problem: boolean;
  severity: "high" | "medium" | "low" | "info";
  summary: string;
  accountId: string;
  cluster?: string;
  namespace?: string;
  serviceAccount?: string;
  /** The role the finding is about (the mapped / annotated / trusted role). */
  roleArn?: string;
  associationId?: string;
  pods?: string[];
  oidcProviderArn?: string;
  nodeRoleArn?: string;
  targetRoleArn?: string;
  /** Association created by hand or another tool, not through RoleGate. */
  createdOutsideRoleGate?: boolean;
  /** References that are intentionally absent from the world. */
  missing?: ("role" | "cluster")[];
  /** Placement situations: the Fargate profile or nodes the SA's pods run on. */
  fargateProfile?: string;
}

const sa = (cluster: string, serviceAccount: string, namespace = COMPUTE_NS) => ({
  accountId: PROD_ACCOUNT,
  cluster,
  namespace,
  serviceAccount,
});
const assoc = (cluster: string, serviceAccount: string, role: string, namespace = COMPUTE_NS) => ({
  ...sa(cluster, serviceAccount, namespace),
  roleArn: workloadRoleArn(role),
  associationId: specAssociationId({ cluster, namespace, sa: serviceAccount }),
});
const west = (cluster: string, serviceAccount: string, namespace = COMPUTE_NS) => ({ accountId: PROD_ACCOUNT, cluster, namespace, serviceAccount });
const role = (name: string) => ({ accountId: PROD_ACCOUNT, roleArn: workloadRoleArn(name) });
const pods = (cluster: string, serviceAccount: string, ...indexes: number[]) => indexes.map((i) => computePodName(cluster, serviceAccount, i));

export const SEEDED_SITUATIONS: readonly SeededSituation[] = [
  { id: "blue-addon-missing", kind: "addon-missing", problem: true, severity: "high", summary: "domino-blue has pod identity associations but no eks-pod-identity-agent add-on: none of them can deliver credentials.", accountId: PROD_ACCOUNT, cluster: BLUE },
  { id: "green-node-role-forgets-forecasting", kind: "node-role-missing-mapped-role", problem: true, severity: "high", summary: "The Green node role restricts eks-auth:AssumeRoleForPodIdentity to an exhaustive list that omits domino-pi-forecasting.", ...assoc(GREEN, "svc-forecasting", NODE_POLICY_FORGOTTEN_ROLE), nodeRoleArn: roleArn(`${GREEN}-eks-nodes`) },
  { id: "blue-node-role-wildcard", kind: "node-role-unrestricted", problem: false, severity: "info", summary: "The Blue node role allows eks-auth:AssumeRoleForPodIdentity on '*': every mapped role is covered.", accountId: PROD_ACCOUNT, cluster: BLUE, nodeRoleArn: roleArn(`${BLUE}-eks-nodes`) },
  { id: "snowflake-missing-tagsession", kind: "pod-identity-trust-missing-tagsession", problem: true, severity: "high", summary: "Trust allows sts:AssumeRole but not sts:TagSession while the association keeps session tags on.", ...assoc(GREEN, "svc-snowflake-export", "domino-pi-snowflake-export") },
  { id: "legacy-dwh-tags-disabled", kind: "pod-identity-trust-missing-tagsession", problem: false, severity: "info", summary: "Trust lacks sts:TagSession but the association disables session tags (with a session policy): works.", ...assoc(GREEN, "svc-legacy-dwh", "domino-pi-legacy-dwh") },
  { id: "finance-export-denied-on-blue", kind: "pod-identity-trust-denies", problem: true, severity: "high", summary: "Explicit Deny unless aws:RequestTag/eks-cluster-name is domino-green: the Blue association can never assume the role.", ...assoc(BLUE, "svc-finance-export", "domino-pi-finance-export") },
  { id: "finance-export-allowed-on-green", kind: "pod-identity-trust-denies", problem: false, severity: "info", summary: "Same role on Green: the Deny's condition does not match, Allow applies.", ...assoc(GREEN, "svc-finance-export", "domino-pi-finance-export") },
  { id: "abac-namespace-condition", kind: "pod-identity-trust-denies", problem: false, severity: "info", summary: "Pod Identity trust conditioned on aws:RequestTag/kubernetes-namespace=domino-compute; the association is in domino-compute.", ...assoc(GREEN, "svc-abac-jobs", "domino-pi-abac-guarded") },
  { id: "spark-jobs-role-irsa-only", kind: "pod-identity-role-not-trusted", problem: true, severity: "high", summary: "Association points at an IRSA-only role whose trust never mentions pods.eks.amazonaws.com.", ...assoc(GREEN, "svc-spark-jobs", "domino-irsa-emr-studio") },
  { id: "reporting-legacy-role-deleted", kind: "association-role-missing", problem: true, severity: "high", summary: "Association references domino-pi-retired-reporting, which no longer exists.", ...assoc(BLUE, "svc-reporting-legacy", "domino-pi-retired-reporting"), missing: ["role"] },
  { id: "lake-writer-external-id-mismatch", kind: "cross-account-external-id-mismatch", problem: true, severity: "high", summary: "Target role datalake-domino-write requires an sts:ExternalId from a previous association, not this one's.", ...assoc(GREEN, "svc-lake-writer", "domino-pi-cross-source-lake-write"), targetRoleArn: roleArn("datalake-domino-write", LAKE_ACCOUNT) },
  { id: "lake-reader-chain-ok", kind: "cross-account-external-id-mismatch", problem: false, severity: "info", summary: "Cross-account chain whose target trust requires exactly the association's external ids (Blue and Green).", ...assoc(GREEN, "svc-lake-reader", "domino-pi-cross-source-lake"), targetRoleArn: roleArn("datalake-domino-read", LAKE_ACCOUNT) },
  { id: "mgarcia-annotation-not-trusted", kind: "irsa-annotation-not-trusted", problem: true, severity: "high", summary: "SA annotated with domino-irsa-analytics-readonly, whose trust names only dmuser-akim.", ...sa(GREEN, "dmuser-mgarcia"), roleArn: workloadRoleArn("domino-irsa-analytics-readonly") },
  { id: "rpatel-green-issuer-missing", kind: "irsa-annotation-not-trusted", problem: true, severity: "high", summary: "SA on Green annotated with domino-irsa-ml-training, whose trust lists only the Blue issuer (Blue/Green gap).", ...sa(GREEN, "dmuser-rpatel"), roleArn: workloadRoleArn("domino-irsa-ml-training"), oidcProviderArn: oidcProviderArn(GREEN) },
  { id: "compute-wildcard-subject", kind: "irsa-wildcard-subject", problem: true, severity: "medium", summary: "StringLike system:serviceaccount:domino-compute:* : every Domino workload on Green can assume the role.", ...role("domino-irsa-compute-wildcard"), cluster: GREEN, oidcProviderArn: oidcProviderArn(GREEN) },
  { id: "batch-pattern-subject", kind: "irsa-wildcard-subject", problem: true, severity: "low", summary: "StringLike svc-batch-0? : any future svc-batch-0N account gets the role on Blue and Green.", ...role("domino-irsa-batch-pattern") },
  { id: "guarded-prefix-subject", kind: "irsa-wildcard-subject", problem: true, severity: "low", summary: "StringLike dmuser-* (interns excluded by an explicit Deny): every Domino user can assume the role.", ...role("domino-irsa-guarded-prefix") },
  { id: "aud-only-trust", kind: "irsa-aud-only-trust", problem: true, severity: "high", summary: "Trust checks only :aud, no :sub: any service account on domino-blue can assume the role.", ...role("domino-irsa-aud-only"), cluster: BLUE, oidcProviderArn: oidcProviderArn(BLUE) },
  { id: "legacy-s3-deleted-issuer", kind: "trust-references-deleted-cluster", problem: true, severity: "medium", summary: "Trust references only the OIDC provider of the deleted domino-legacy cluster.", ...role("domino-irsa-legacy-s3"), oidcProviderArn: oidcProviderArn(LEGACY) },
  { id: "legacy-and-blue-deleted-issuer", kind: "trust-references-deleted-cluster", problem: true, severity: "low", summary: "Trust still carries a statement for the deleted domino-legacy issuer next to the Blue one.", ...role("domino-irsa-legacy-and-blue"), oidcProviderArn: oidcProviderArn(LEGACY) },
  { id: "legacy-oidc-provider-orphan", kind: "orphan-oidc-provider", problem: true, severity: "low", summary: "IAM OIDC provider of domino-legacy remains although no such cluster exists.", accountId: PROD_ACCOUNT, oidcProviderArn: oidcProviderArn(LEGACY), missing: ["cluster"] },
  { id: "report-builder-pod-before-association", kind: "pod-created-before-association", problem: true, severity: "medium", summary: "Pod started before its SA's association existed: no Pod Identity env until restarted (the younger pod is fine).", ...assoc(GREEN, "svc-report-builder", "domino-pi-report-builder"), pods: pods(GREEN, "svc-report-builder", 0) },
  { id: "airflow-bridge-pod-before-association", kind: "pod-created-before-association", problem: true, severity: "medium", summary: "Pod started before its SA's association existed.", ...assoc(BLUE, "svc-airflow-bridge", "domino-pi-airflow-bridge"), pods: pods(BLUE, "svc-airflow-bridge", 0) },
  { id: "mlflow-pods-before-role-change", kind: "pod-predates-association-change", problem: true, severity: "medium", summary: "Association re-pointed 2 h ago; running pods may still use cached credentials of the previous role.", ...assoc(GREEN, "svc-mlflow", "domino-pi-mlflow"), pods: pods(GREEN, "svc-mlflow", 0, 1) },
  { id: "churn-model-association-deleted", kind: "pod-identity-env-without-association", problem: true, severity: "medium", summary: "Pod carries Pod Identity env but its SA has no association any more (deleted): stale or failing credentials.", ...sa(GREEN, "svc-churn-model"), roleArn: workloadRoleArn("domino-pi-churn-model"), pods: pods(GREEN, "svc-churn-model", 0) },
  { id: "nwong-pod-before-annotation", kind: "pod-missing-irsa-env", problem: true, severity: "low", summary: "Workspace started before the IRSA annotation was added: no AWS_ROLE_ARN in the pod.", ...sa(GREEN, "dmuser-nwong"), roleArn: workloadRoleArn("domino-irsa-bedrock"), pods: pods(GREEN, "dmuser-nwong", 0) },
  { id: "model-monitor-both-mechanisms", kind: "sa-both-mechanisms", problem: true, severity: "low", summary: "SA has an IRSA annotation and a pod identity association; the SDK's chain picks web identity first, so the association is shadowed.", ...assoc(GREEN, "svc-model-monitor", "domino-both-mechanisms") },
  { id: "notebook-sync-out-of-band", kind: "association-out-of-band", problem: true, severity: "info", summary: "Association created outside RoleGate (no RoleGate tags).", ...assoc(BLUE, "svc-notebook-sync", "domino-pi-notebook-sync"), createdOutsideRoleGate: true },
  { id: "kinesis-consumer-out-of-band", kind: "association-out-of-band", problem: true, severity: "info", summary: "Association created outside RoleGate (terraform tags).", ...assoc(GREEN, "svc-kinesis-consumer", "domino-pi-kinesis-consumer"), createdOutsideRoleGate: true },
  { id: "mlflow-out-of-band", kind: "association-out-of-band", problem: true, severity: "info", summary: "Association created and later modified outside RoleGate.", ...assoc(GREEN, "svc-mlflow", "domino-pi-mlflow"), createdOutsideRoleGate: true },
  { id: "ebs-csi-addon-owned", kind: "association-addon-owned", problem: false, severity: "info", summary: "Association owned by the aws-ebs-csi-driver add-on (ownerArn set): read-only, not an out-of-band change.", ...assoc(GREEN, "ebs-csi-controller-sa", "domino-green-ebs-csi-driver", "kube-system"), createdOutsideRoleGate: true },
  { id: "platform-blob-store-both-trusts", kind: "role-trusts-both-mechanisms", problem: false, severity: "info", summary: "Role trusts IRSA (Blue) and Pod Identity (Green association) for nucleus-frontend: a normal migration state.", ...assoc(GREEN, "nucleus-frontend", "domino-platform-blob-store", PLATFORM_NS) },
  { id: "auto-mode-agent-built-in", kind: "agent-built-in-auto-mode", problem: false, severity: "info", summary: "domino-auto is an EKS Auto Mode cluster (computeConfig.enabled): no eks-pod-identity-agent add-on, yet the agent is built in: the agent precheck passes.", ...west(AUTO, "svc-auto-etl") },
  { id: "self-managed-agent-ready", kind: "agent-self-managed", problem: false, severity: "info", summary: "domino-selfmanaged runs the agent as a Helm-installed DaemonSet (no add-on), ready on the nodes svc-sm-etl's pods run on.", ...west(SELF_MANAGED, "svc-sm-etl") },
  { id: "self-managed-agent-not-ready", kind: "agent-not-ready-on-node", problem: true, severity: "high", summary: "The self-managed agent's pod is not ready on the node svc-sm-stuck's pod runs on: a Pod Identity association would deliver no credentials there.", ...west(SELF_MANAGED, "svc-sm-stuck") },
  { id: "fargate-batch-pods", kind: "sa-on-fargate", problem: true, severity: "info", summary: "svc-fargate-batch's pods run on Fargate (profile fp-batch, pods labelled eks.amazonaws.com/fargate-profile on fargate-ip-... nodes): Pod Identity cannot work, it stays on IRSA.", ...west(MIXED, "svc-fargate-batch"), roleArn: `arn:aws:iam::${PROD_ACCOUNT}:role/${WEST_BATCH_ROLE}`, fargateProfile: "fp-batch" },
  { id: "fargate-namespace-profile", kind: "sa-on-fargate", problem: true, severity: "info", summary: "fp-serverless selects every pod of domino-serverless: etl-fn would run on Fargate although no pod runs now.", ...west(MIXED, "etl-fn", SERVERLESS_NS), fargateProfile: "fp-serverless" },
  { id: "windows-report-pods", kind: "sa-on-windows", problem: true, severity: "info", summary: "svc-windows-report's pods run on the Windows node group: Pod Identity cannot work, it stays on IRSA.", ...west(MIXED, "svc-windows-report"), roleArn: `arn:aws:iam::${PROD_ACCOUNT}:role/${WEST_BATCH_ROLE}` },
  { id: "linux-etl-on-nodes", kind: "sa-on-linux-nodes", problem: false, severity: "info", summary: "svc-linux-etl shares the cluster, the namespace and the IRSA role with the Fargate and Windows workloads but runs on Linux nodes with the add-on: it may move to Pod Identity.", ...west(MIXED, "svc-linux-etl"), roleArn: `arn:aws:iam::${PROD_ACCOUNT}:role/${WEST_BATCH_ROLE}` },
  { id: "github-actions-web-identity", kind: "non-eks-web-identity", problem: false, severity: "info", summary: "AssumeRoleWithWebIdentity from GitHub's OIDC provider: not an EKS issuer, not IRSA.", accountId: PROD_ACCOUNT, roleArn: roleArn("github-actions-deploy") },
];
