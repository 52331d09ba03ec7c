// IAM roles that Kubernetes workloads assume (IRSA and Pod Identity), each
// written to reproduce one real trust-policy shape.
import { BLUE, GREEN, LEGACY, PROD_ACCOUNT, issuerHost, saSubject } from "./constants";
import { allow, irsaStatement, managed, podIdentityStatement, policyDoc, s3ReadPolicy, s3WritePolicy, type Statement } from "./policies";
import type { RoleSpec } from "./role-spec";

const both = (subjects?: string[], like = false): Statement[] => [
  irsaStatement({ cluster: BLUE, subjects, like }),
  irsaStatement({ cluster: GREEN, subjects, like }),
];
const compute = (...names: string[]) => names.map((n) => `domino-compute:${n}`);
const team = (t: string) => ({ team: t, "cost-center": "cc-4410", environment: "prod" });

const irsa = (name: string, description: string, trust: Statement[], inline: Record<string, string>, ageDays: number, tags = team("data-science")): RoleSpec => ({
  name, description, trust, inline, ageDays, tags,
});

const pi = (name: string, description: string, inline: Record<string, string>, ageDays: number, trust: Statement[] = [podIdentityStatement({ sourceAccount: PROD_ACCOUNT })], tags = team("data-engineering")): RoleSpec => ({
  name, path: "/domino/", description, trust, inline, ageDays, tags,
});

// Deny statements that guard the pattern role below: interns never get this role, on either cluster.
const internDeny = (cluster: string): Statement => ({
  Sid: `DenyInterns${cluster === BLUE ? "Blue" : "Green"}`,
  Effect: "Deny",
  Principal: { Federated: `arn:aws:iam::${PROD_ACCOUNT}:oidc-provider/${issuerHost(cluster)}` },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: { StringLike: { [`${issuerHost(cluster)}:sub`]: saSubject("domino-compute", "dmuser-intern-*") } },
});

export const IRSA_ROLES: RoleSpec[] = [
  irsa("domino-irsa-ds-team", "Data science team S3 sandbox access", both(compute("dmuser-jsmith", "dmuser-oanderson", "dmuser-cjackson")), { "ds-sandbox": s3WritePolicy("acme-ds-sandbox") }, 420),
  irsa("domino-irsa-analytics-readonly", "Read-only analytics marts", both(compute("dmuser-akim")), { "analytics-read": s3ReadPolicy("acme-analytics-marts") }, 390),
  // Blue issuer only: never updated for the Green cluster.
  irsa("domino-irsa-ml-training", "SageMaker training data for the ML team", [irsaStatement({ cluster: BLUE, subjects: compute("dmuser-rpatel", "dmuser-bwhite") })], { "training-data": s3ReadPolicy("acme-ml-training") }, 370),
  irsa("domino-irsa-sagemaker", "Launch SageMaker jobs from workspaces", [irsaStatement({ cluster: BLUE, subjects: compute("dmuser-lnguyen") })], { sagemaker: policyDoc(allow(["sagemaker:CreateTrainingJob", "sagemaker:Describe*"], "*"), allow("iam:PassRole", `arn:aws:iam::${PROD_ACCOUNT}:role/sagemaker-execution`)) }, 360),
  irsa("domino-irsa-athena-query", "Athena workgroup domino", both(compute("dmuser-ebrown", "dmuser-fharris")), { athena: policyDoc(allow(["athena:StartQueryExecution", "athena:GetQuery*"], `arn:aws:athena:us-east-1:${PROD_ACCOUNT}:workgroup/domino`)) }, 300),
  irsa("domino-irsa-compute-wildcard", "Shared scratch bucket for every Domino workload", [irsaStatement({ cluster: GREEN, subjects: compute("*"), like: true })], { scratch: s3WritePolicy("acme-domino-scratch") }, 40, team("platform")),
  irsa("domino-irsa-batch-pattern", "Numbered batch service accounts", both(compute("svc-batch-0?"), true), { batch: s3WritePolicy("acme-batch-output") }, 200, team("data-engineering")),
  // No :sub condition: any service account of the Blue cluster can assume it.
  irsa("domino-irsa-aud-only", "Public datasets mirror (trust written without a subject)", [irsaStatement({ cluster: BLUE })], { "public-data": s3ReadPolicy("acme-public-datasets") }, 410),
  irsa("domino-irsa-legacy-s3", "Legacy cluster archive access", [irsaStatement({ cluster: LEGACY, subjects: compute("dmuser-jsmith") })], { archive: s3ReadPolicy("acme-archive") }, 800),
  irsa("domino-irsa-legacy-and-blue", "Geo data, trusted from legacy and blue", [irsaStatement({ cluster: LEGACY, subjects: compute("dmuser-tjohnson") }), irsaStatement({ cluster: BLUE, subjects: compute("dmuser-tjohnson") })], { geo: s3ReadPolicy("acme-geo") }, 700),
  irsa("domino-irsa-guarded-prefix", "Domino users except interns", [...both(compute("dmuser-*"), true), internDeny(BLUE), internDeny(GREEN)], { "user-home": s3WritePolicy("acme-domino-homes", "${aws:PrincipalTag/kubernetes-service-account}/*") }, 250),
  irsa("domino-irsa-bedrock", "Bedrock model invocation", [irsaStatement({ cluster: GREEN, subjects: compute("dmuser-nwong") })], { bedrock: policyDoc(allow("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/*")) }, 3),
  irsa("domino-irsa-emr-studio", "EMR on EKS job submission", both(compute("dmuser-kmartin")), { emr: policyDoc(allow(["emr-containers:StartJobRun", "emr-containers:DescribeJobRun"], "*")) }, 280),
  irsa("domino-irsa-redshift-query", "Redshift data API", both(compute("dmuser-hthomas")), { redshift: policyDoc(allow(["redshift-data:*"], "*")) }, 260),
  irsa("domino-cluster-autoscaler", "Cluster autoscaler", both(["kube-system:cluster-autoscaler"]), { autoscaler: policyDoc(allow(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup", "autoscaling:Describe*", "ec2:Describe*"], "*")) }, 430, team("platform")),
  irsa("domino-external-dns", "external-dns Route 53 records", both(["kube-system:external-dns"]), { route53: policyDoc(allow("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"), allow(["route53:List*"], "*")) }, 430, team("platform")),
  { ...irsa("domino-blue-vpc-cni", "VPC CNI for domino-blue", [irsaStatement({ cluster: BLUE, subjects: ["kube-system:aws-node"] })], {}, 440, team("platform")), attached: [managed("AmazonEKS_CNI_Policy")] },
  { ...irsa("domino-cloudwatch-agent", "CloudWatch agent on domino-green", [irsaStatement({ cluster: GREEN, subjects: ["kube-system:cloudwatch-agent"] })], {}, 44, team("platform")), attached: [managed("CloudWatchAgentServerPolicy")] },
  // Both mechanisms: IRSA on Blue, Pod Identity on Green (mid-migration).
  { ...irsa("domino-platform-blob-store", "Domino platform blob storage", [podIdentityStatement(), irsaStatement({ cluster: BLUE, subjects: ["domino-platform:nucleus-frontend"] })], { blobs: s3WritePolicy("acme-domino-blobs") }, 440, team("platform")), path: "/domino/" },
  { ...irsa("domino-both-mechanisms", "Model monitoring (IRSA and Pod Identity)", [podIdentityStatement({ sourceAccount: PROD_ACCOUNT }), irsaStatement({ cluster: GREEN, subjects: compute("svc-model-monitor") })], { monitor: s3ReadPolicy("acme-model-monitor") }, 12), path: "/domino/" },
];

const readBucket = (b: string) => ({ data: s3ReadPolicy(b) });
const writeBucket = (b: string) => ({ data: s3WritePolicy(b) });
const chain = (target: string) => ({ chain: policyDoc(allow(["sts:AssumeRole", "sts:TagSession"], `arn:aws:iam::444455556666:role/${target}`)) });

export const POD_IDENTITY_ROLES: RoleSpec[] = [
  pi("domino-pi-etl-nightly", "Nightly ETL job", writeBucket("acme-etl-curated"), 195),
  pi("domino-pi-etl-hourly", "Hourly ETL job", writeBucket("acme-etl-staging"), 185, [podIdentityStatement()]),
  pi("domino-pi-feature-store", "Feature store materialisation", { data: s3WritePolicy("acme-features"), dynamo: policyDoc(allow(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"], `arn:aws:dynamodb:us-east-1:${PROD_ACCOUNT}:table/features`)) }, 155),
  pi("domino-pi-model-registry", "Model registry artefacts", writeBucket("acme-model-registry"), 38),
  pi("domino-pi-batch-scoring", "Batch scoring outputs", writeBucket("acme-scores"), 35, [podIdentityStatement()]),
  pi("domino-pi-report-builder", "Report builder", readBucket("acme-reports"), 2),
  pi("domino-pi-data-quality", "Data quality checks", readBucket("acme-etl-curated"), 30),
  pi("domino-pi-s3-ingest", "S3 landing zone ingest", writeBucket("acme-landing"), 29),
  pi("domino-pi-kinesis-consumer", "Clickstream consumer", { kinesis: policyDoc(allow(["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream"], `arn:aws:kinesis:us-east-1:${PROD_ACCOUNT}:stream/clickstream`)) }, 26),
  pi("domino-pi-glue-crawler", "Glue catalog updates", { glue: policyDoc(allow(["glue:StartCrawler", "glue:GetCrawler"], "*")) }, 23),
  pi("domino-pi-forecasting", "Demand forecasting job", readBucket("acme-sales"), 10),
  // Missing sts:TagSession: breaks with session tags on, harmless with them disabled.
  pi("domino-pi-snowflake-export", "Export to Snowflake stage", writeBucket("acme-snowflake-stage"), 15, [podIdentityStatement({ noTagSession: true })]),
  pi("domino-pi-legacy-dwh", "Legacy warehouse queries", { redshift: policyDoc(allow("redshift:GetClusterCredentials", "*")) }, 21, [podIdentityStatement({ noTagSession: true })]),
  pi("domino-pi-finance-export", "Finance export, Green cluster only", writeBucket("acme-finance-exports"), 125, [
    podIdentityStatement(),
    {
      Sid: "OnlyFromGreen",
      Effect: "Deny",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: { StringNotEquals: { "aws:RequestTag/eks-cluster-name": GREEN } },
    },
  ]),
  pi("domino-pi-abac-guarded", "ABAC: only domino-compute workloads", { data: s3ReadPolicy("acme-abac", "${aws:PrincipalTag/kubernetes-service-account}/*") }, 11, [
    podIdentityStatement({ condition: { StringEquals: { "aws:RequestTag/kubernetes-namespace": "domino-compute" } } }),
  ]),
  pi("domino-pi-cross-source-lake", "Source role chaining into the data lake (read)", chain("datalake-domino-read"), 80),
  pi("domino-pi-cross-source-lake-write", "Source role chaining into the data lake (write)", chain("datalake-domino-write"), 19),
  pi("domino-pi-cross-source-audit", "Source role chaining into audit logs", chain("datalake-audit-read"), 17),
  pi("domino-pi-mlflow", "MLflow tracking artefacts", writeBucket("acme-mlflow"), 28),
  pi("domino-pi-notebook-sync", "Notebook sync to Git mirror bucket", writeBucket("acme-notebooks"), 95),
  pi("domino-pi-airflow-bridge", "Airflow bridge", { mwaa: policyDoc(allow("airflow:CreateCliToken", "*")) }, 3),
  pi("domino-pi-unmapped", "Prepared for a job that was never promoted", readBucket("acme-sales"), 60),
  // Its association was deleted; running pods still carry Pod Identity env.
  pi("domino-pi-churn-model", "Churn model scoring", readBucket("acme-crm-extracts"), 50),
  {
    name: "domino-green-ebs-csi-driver",
    description: "EBS CSI driver (managed by the aws-ebs-csi-driver add-on)",
    trust: [podIdentityStatement()],
    attached: [managed("AmazonEBSCSIDriverPolicy", { path: "service-role/" })],
    ageDays: 44,
    tags: team("platform"),
  },
];

const WORKLOAD_ROLES = new Map([...IRSA_ROLES, ...POD_IDENTITY_ROLES].map((r) => [r.name, r]));

/** ARN of a production-account workload role, honouring its path; unknown (deleted) roles get path "/". */
export const workloadRoleArn = (name: string) =>
  `arn:aws:iam::${PROD_ACCOUNT}:role${WORKLOAD_ROLES.get(name)?.path ?? "/"}${name}`;
