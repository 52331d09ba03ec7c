// What the EKS Pod Identity and IRSA mutating webhooks add to a pod's env at
// creation time. Shared by the seed and the emulated controller so recreated
// pods look exactly like seeded ones.
export type EnvVar = { name: string; value: string };

const POD_IDENTITY_CREDENTIALS_URI = "http://169.254.170.23/v1/credentials";
export const POD_IDENTITY_TOKEN_FILE = "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token";
export const IRSA_TOKEN_FILE = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";
export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

const WEBHOOK_NAMES = new Set([
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_STS_REGIONAL_ENDPOINTS",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
]);

export function webhookEnv(opts: { podIdentity: boolean; irsaRoleArn?: string; region: string }): EnvVar[] {
  const env: EnvVar[] = [];
  if (!opts.podIdentity && !opts.irsaRoleArn) return env;
  env.push(
    { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
    { name: "AWS_DEFAULT_REGION", value: opts.region },
    { name: "AWS_REGION", value: opts.region },
  );
  if (opts.irsaRoleArn) {
    env.push({ name: "AWS_ROLE_ARN", value: opts.irsaRoleArn }, { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: IRSA_TOKEN_FILE });
  }
  if (opts.podIdentity) {
    env.push(
      { name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", value: POD_IDENTITY_CREDENTIALS_URI },
      { name: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", value: POD_IDENTITY_TOKEN_FILE },
    );
  }
  return env;
}

/** The pod's own env, without anything a webhook injected. */
export const withoutWebhookEnv = (env: EnvVar[]) => env.filter((e) => !WEBHOOK_NAMES.has(e.name));
