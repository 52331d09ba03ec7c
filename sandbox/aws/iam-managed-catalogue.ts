import type { SandboxAccount } from "../model";
import { AwsError } from "./errors";

// A slice of AWS's managed-policy catalogue (real names and paths, as
// `aws iam list-policies --scope AWS` lists them), enough for a searchable
// picker and paging. ARNs are derived: arn:aws:iam::aws:policy<path><name>.
const ROOT = [
  "AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "IAMReadOnlyAccess", "IAMFullAccess",
  "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "AmazonDynamoDBReadOnlyAccess", "AmazonDynamoDBFullAccess",
  "AmazonSQSReadOnlyAccess", "AmazonSQSFullAccess", "AmazonSNSReadOnlyAccess", "AmazonSNSFullAccess",
  "AmazonEC2ReadOnlyAccess", "AmazonEC2FullAccess", "AmazonEC2ContainerRegistryReadOnly", "AmazonEC2ContainerRegistryPowerUser",
  "AmazonEC2ContainerRegistryFullAccess", "AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy",
  "AmazonEKSServicePolicy", "AmazonEKSVPCResourceController", "AmazonRDSReadOnlyAccess", "AmazonRDSFullAccess",
  "AmazonKinesisReadOnlyAccess", "AmazonKinesisFullAccess", "AmazonAthenaFullAccess", "AmazonSageMakerFullAccess",
  "AmazonSageMakerReadOnly", "AmazonSSMReadOnlyAccess", "AmazonSSMManagedInstanceCore", "AmazonRoute53ReadOnlyAccess",
  "AmazonElasticFileSystemReadOnlyAccess", "AmazonBedrockReadOnly", "AmazonBedrockFullAccess",
  "AWSLambda_ReadOnlyAccess", "AWSLambda_FullAccess", "AWSGlueConsoleFullAccess", "AWSXrayWriteOnlyAccess",
  "AWSCloudFormationReadOnlyAccess", "AWSKeyManagementServicePowerUser", "CloudWatchReadOnlyAccess",
  "CloudWatchFullAccess", "CloudWatchAgentServerPolicy", "CloudWatchLogsReadOnlyAccess", "CloudWatchLogsFullAccess",
  "SecretsManagerReadWrite", "AWSCertificateManagerReadOnly",
];
const SERVICE_ROLE = ["AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AmazonEC2ContainerServiceforEC2Role", "AmazonEBSCSIDriverPolicy", "AWSGlueServiceRole"];
const JOB_FUNCTION = ["ViewOnlyAccess", "DatabaseAdministrator", "DataScientist", "NetworkAdministrator", "SystemAdministrator", "SupportUser"];

export interface ManagedPolicy {
  policyName: string;
  path: string;
  arn: string;
}

const at = (path: string) => (policyName: string): ManagedPolicy => ({ policyName, path, arn: `arn:aws:iam::aws:policy${path}${policyName}` });

export const AWS_MANAGED_POLICIES: readonly ManagedPolicy[] = [...ROOT.map(at("/")), ...SERVICE_ROLE.map(at("/service-role/")), ...JOB_FUNCTION.map(at("/job-function/"))];

const CUSTOMER_ARN = /^arn:aws:iam::(\d{12}):policy(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)$/;

/**
 * The policies an account can attach: AWS's catalogue, and its own customer managed
 * policies. The sandbox has no CreatePolicy: an account's customer policies are
 * those its seeded roles attach or use as boundary.
 */
export function attachablePolicies(account: SandboxAccount): Map<string, ManagedPolicy> {
  const out = new Map(AWS_MANAGED_POLICIES.map((p) => [p.arn, p]));
  for (const role of Object.values(account.roles)) {
    for (const arn of [...role.attachedPolicies.map((p) => p.policyArn), role.permissionsBoundary ?? ""]) {
      const m = CUSTOMER_ARN.exec(arn);
      if (m && m[1] === account.accountId && !out.has(arn)) out.set(arn, { policyName: m[3]!, path: m[2]!, arn });
    }
  }
  return out;
}

export function attachablePolicyOrThrow(account: SandboxAccount, arn: string, use: "policy" | "boundary"): ManagedPolicy {
  if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\//.test(arn)) {
    throw new AwsError("InvalidInput", `ARN ${arn} is not valid.`, 400);
  }
  const policy = attachablePolicies(account).get(arn);
  if (!policy) {
    throw new AwsError("NoSuchEntity", use === "policy" ? `Policy ${arn} does not exist or is not attachable.` : `Scope ARN: ${arn} does not exist or is not attachable.`, 404);
  }
  return policy;
}
