// Names and ARNs of the demo fleet, shared by the seed builders and the
// situations manifest so both always point at the same objects.
import { oidcId } from "./ids";

export const PROD_ACCOUNT = "111122223333";
export const LAKE_ACCOUNT = "444455556666";
export const REGION = "us-east-1";

export const BLUE = "domino-blue";
export const GREEN = "domino-green";
/** A cluster that was deleted; its IAM OIDC provider and some trust statements were left behind. */
export const LEGACY = "domino-legacy";

export const COMPUTE_NS = "domino-compute";
export const PLATFORM_NS = "domino-platform";

export const roleArn = (name: string, account = PROD_ACCOUNT, path = "/") => `arn:aws:iam::${account}:role${path}${name}`;
export const clusterArn = (cluster: string) => `arn:aws:eks:${REGION}:${PROD_ACCOUNT}:cluster/${cluster}`;
export const associationArn = (cluster: string, id: string) =>
  `arn:aws:eks:${REGION}:${PROD_ACCOUNT}:podidentityassociation/${cluster}/${id}`;

/** Issuer host without scheme, the form IAM uses in provider ARNs and condition keys. */
export const issuerHost = (cluster: string) => `oidc.eks.${REGION}.amazonaws.com/id/${oidcId(cluster)}`;
export const issuerUrl = (cluster: string) => `https://${issuerHost(cluster)}`;
export const oidcProviderArn = (cluster: string) => `arn:aws:iam::${PROD_ACCOUNT}:oidc-provider/${issuerHost(cluster)}`;

export const saSubject = (namespace: string, sa: string) => `system:serviceaccount:${namespace}:${sa}`;

/** Tag RoleGate puts on associations it creates; absent on out-of-band ones. */
export const ROLEGATE_TAG = "rolegate.io/managed-by";
