// Roles that are not assumed by workloads: cluster and node roles, AWS
// service-linked roles, unrelated service roles, and the data-lake account's
// cross-account targets. They keep the inventory honest (most roles in a real
// account have nothing to do with Kubernetes).
import { ASSOCIATION_SPECS, associationExternalId, type AssociationSpec } from "./associations";
import { BLUE, GREEN, LAKE_ACCOUNT, PROD_ACCOUNT } from "./constants";
import { hashHex } from "./ids";
import { allow, awsPrincipalStatement, crossAccountTargetStatement, managed, policyDoc, s3ReadPolicy, serviceStatement, type Statement } from "./policies";
import type { RoleSpec } from "./role-spec";
import { workloadRoleArn } from "./roles-workload";

const platform = { team: "platform", environment: "prod" };

/** The one mapped role the Green node role's exhaustive Resource list forgets. */
export const NODE_POLICY_FORGOTTEN_ROLE = "domino-pi-forecasting";

function greenNodePodIdentityResources(): string[] {
  const arns = ASSOCIATION_SPECS.filter((s) => s.cluster === GREEN && s.role !== NODE_POLICY_FORGOTTEN_ROLE).map((s) => workloadRoleArn(s.role));
  return [...new Set(arns)].sort();
}

const workerBasics = allow(["ec2:DescribeInstances", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVolumes", "ec2:DescribeVpcs", "eks:DescribeCluster"], "*", { Sid: "WorkerNodeBasics" });

const clusterRole = (cluster: string, ageDays: number): RoleSpec => ({
  name: `${cluster}-cluster-role`,
  description: `EKS cluster service role for ${cluster}`,
  trust: [{ ...serviceStatement("eks.amazonaws.com"), Action: ["sts:AssumeRole", "sts:TagSession"] }],
  attached: [managed("AmazonEKSClusterPolicy"), managed("AmazonEKSVPCResourceController")],
  tags: { ...platform, "eks-cluster": cluster },
  ageDays,
});

/** A service-linked role as AWS creates it: under /aws-service-role/<service>/, trusting that service, with its managed policy. */
const serviceLinkedRole = (name: string, service: string, policy: string, description: string): RoleSpec => ({
  name,
  path: `/aws-service-role/${service}/`,
  description,
  trust: [serviceStatement(service)],
  attached: [managed(policy, { path: "aws-service-role/" })],
  ageDays: 900,
});

const nodeTrust = [serviceStatement("ec2.amazonaws.com")];
const nodeAttached = [managed("AmazonEC2ContainerRegistryReadOnly"), managed("AmazonEKS_CNI_Policy"), managed("AmazonSSMManagedInstanceCore")];

export const INFRA_ROLES: RoleSpec[] = [
  clusterRole(BLUE, 445),
  clusterRole(GREEN, 46),
  {
    name: `${BLUE}-eks-nodes`,
    description: "Worker nodes of domino-blue",
    trust: nodeTrust,
    attached: [managed("AmazonEKSWorkerNodePolicy"), ...nodeAttached],
    inline: { "pod-identity": policyDoc(allow("eks-auth:AssumeRoleForPodIdentity", "*", { Sid: "WorkerNodePermissions" })) },
    tags: { ...platform, "eks-cluster": BLUE },
    ageDays: 445,
  },
  {
    // No AmazonEKSWorkerNodePolicy: it would grant eks-auth on "*" and void the exhaustive list below.
    name: `${GREEN}-eks-nodes`,
    description: "Worker nodes of domino-green (pod identity restricted to mapped roles)",
    trust: nodeTrust,
    attached: nodeAttached,
    inline: {
      "worker-node": policyDoc(workerBasics),
      "pod-identity": policyDoc(allow("eks-auth:AssumeRoleForPodIdentity", greenNodePodIdentityResources(), { Sid: "WorkerNodePermissions" })),
    },
    tags: { ...platform, "eks-cluster": GREEN },
    ageDays: 46,
  },
  serviceLinkedRole("AWSServiceRoleForAmazonEKS", "eks.amazonaws.com", "AmazonEKSServiceRolePolicy", "Allows Amazon EKS to call AWS services on your behalf."),
  serviceLinkedRole("AWSServiceRoleForAmazonEKSNodegroup", "eks-nodegroup.amazonaws.com", "AWSServiceRoleForAmazonEKSNodegroup", "This policy allows Amazon EKS to create and manage Nodegroups"),
  serviceLinkedRole("AWSServiceRoleForAutoScaling", "autoscaling.amazonaws.com", "AutoScalingServiceRolePolicy", "Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling"),
  { name: "domino-bastion-ec2", description: "Bastion host instance role", trust: [serviceStatement("ec2.amazonaws.com")], attached: [managed("AmazonSSMManagedInstanceCore")], tags: platform, ageDays: 600 },
  {
    name: "domino-backup-lambda",
    path: "/service-role/",
    description: "Nightly MongoDB snapshot copier",
    trust: [serviceStatement("lambda.amazonaws.com")],
    inline: { snapshots: policyDoc(allow(["rds:CopyDBSnapshot", "ec2:CopySnapshot"], "*")) },
    attached: [managed("AWSLambdaBasicExecutionRole", { path: "service-role/" })],
    tags: platform,
    ageDays: 500,
  },
  { name: "domino-rds-monitoring", description: "RDS enhanced monitoring", trust: [serviceStatement("monitoring.rds.amazonaws.com")], attached: [managed("AmazonRDSEnhancedMonitoringRole", { path: "service-role/" })], ageDays: 700 },
  {
    // Web identity federation that is NOT an EKS issuer: must not be read as IRSA.
    name: "github-actions-deploy",
    description: "GitHub Actions deploys of the Domino helm values repo",
    trust: [{
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::${PROD_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/domino-deploy:ref:refs/heads/main" } },
    }],
    inline: { deploy: policyDoc(allow("eks:DescribeCluster", `arn:aws:eks:us-east-1:${PROD_ACCOUNT}:cluster/*`)) },
    tags: platform,
    ageDays: 320,
  },
  { name: "OrganizationAccountAccessRole", description: "Organization admin access", trust: [awsPrincipalStatement("arn:aws:iam::999988887777:root")], attached: [managed("AdministratorAccess")], ageDays: 1200, maxSessionDuration: 3600 },
  {
    name: `AWSReservedSSO_AdministratorAccess_${hashHex("sso", PROD_ACCOUNT).slice(0, 16)}`,
    path: "/aws-reserved/sso.amazonaws.com/",
    trust: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${PROD_ACCOUNT}:saml-provider/AWSSSO_${hashHex("saml").slice(0, 16)}_DO_NOT_DELETE` }, Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"], Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } } }],
    attached: [managed("AdministratorAccess")],
    ageDays: 1000,
    maxSessionDuration: 43200,
  },
];

const specFor = (target: string) => ASSOCIATION_SPECS.filter((s) => s.target === target);

/** Cross-account target trust for every association chaining into `target`. */
function targetTrust(target: string, externalId: (s: AssociationSpec) => string): Statement[] {
  const bySource = new Map<string, string[]>();
  for (const s of specFor(target)) {
    const ids = bySource.get(s.role) ?? [];
    ids.push(externalId(s));
    bySource.set(s.role, ids);
  }
  return [...bySource].map(([role, ids]) => {
    const st = crossAccountTargetStatement(workloadRoleArn(role), ids[0]!);
    if (ids.length > 1) (st.Condition as { StringEquals: Record<string, unknown> }).StringEquals["sts:ExternalId"] = ids;
    return st;
  });
}

/**
 * External id the data-lake team copied into the write role's trust: from an
 * earlier association that was deleted and re-created, so it no longer matches.
 */
const staleExternalId = (s: AssociationSpec) => associationExternalId({ ...s, sa: `${s.sa}-previous` });

const lake = (name: string, description: string, trust: Statement[], inline: Record<string, string>, ageDays: number): RoleSpec => ({
  name, account: LAKE_ACCOUNT, description, trust, inline, ageDays, tags: { team: "data-lake", environment: "prod" },
});

export const LAKE_ROLES: RoleSpec[] = [
  lake("datalake-domino-read", "Domino read access to the curated lake", targetTrust("datalake-domino-read", associationExternalId), { read: s3ReadPolicy("acme-lake-curated") }, 82),
  lake("datalake-domino-write", "Domino writes to the lake landing zone", targetTrust("datalake-domino-write", staleExternalId), { write: policyDoc(allow("s3:PutObject", "arn:aws:s3:::acme-lake-landing/domino/*")) }, 20),
  lake("datalake-audit-read", "Read CloudTrail lake exports", targetTrust("datalake-audit-read", associationExternalId), { audit: s3ReadPolicy("acme-audit-exports") }, 18),
  lake("datalake-admin", "Data lake administrators", [awsPrincipalStatement(`arn:aws:iam::${LAKE_ACCOUNT}:root`, { Bool: { "aws:MultiFactorAuthPresent": "true" } })], {}, 900),
  lake("datalake-glue-service", "Glue ETL service role", [serviceStatement("glue.amazonaws.com")], { glue: s3ReadPolicy("acme-lake-raw") }, 600),
  // What RoleGate assumes to read this account (ROLEGATE_ASSUME_ROLES), as a real deployment would set up.
  lake(
    "rolegate-reader",
    "RoleGate reads IAM roles and OIDC providers of the data-lake account",
    [awsPrincipalStatement(`arn:aws:iam::${PROD_ACCOUNT}:root`)],
    { read: policyDoc(allow(["iam:GetRole", "iam:ListRoles", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListOpenIDConnectProviders", "iam:GetOpenIDConnectProvider"], "*")) },
    30,
  ),
];
