import { normalizeIssuer, parseClusterArn } from "./arn";
import { namespaceError, serviceAccountError } from "./names";
import { TrustRequestError, type ContextInput, type TrustRequest } from "./types";

export const IRSA_ACTION = "sts:AssumeRoleWithWebIdentity";
export const ASSUME_ROLE = "sts:AssumeRole";
export const TAG_SESSION = "sts:TagSession";
export const PODS_SERVICE = "pods.eks.amazonaws.com";
export const DEFAULT_AUDIENCE = "sts.amazonaws.com";

/** Session tags EKS Pod Identity always attaches (when tags are enabled). */
export const POD_IDENTITY_TAG_KEYS = [
  "eks-cluster-arn",
  "eks-cluster-name",
  "kubernetes-namespace",
  "kubernetes-service-account",
  "kubernetes-pod-name",
  "kubernetes-pod-uid",
] as const;

export interface IrsaInput {
  mechanism: "irsa";
  /** Issuer URL, with or without https://. */
  issuer: string;
  namespace: string;
  serviceAccount: string;
  audience?: string;
  /** Account of the IAM OIDC provider, when known; otherwise only the provider path is compared. */
  providerAccount?: string;
}

export interface PodIdentityInput {
  mechanism: "pod-identity";
  namespace: string;
  serviceAccount: string;
  clusterArn?: string;
  /** Default true; false when the association sets disableSessionTags. */
  sessionTags?: boolean;
  /** aws:SourceAccount when no cluster ARN is given. */
  sourceAccount?: string;
}

export type CanAssumeInput = IrsaInput | PodIdentityInput;

function checkNames(ns: string, sa: string): void {
  const err = namespaceError(ns) ?? serviceAccountError(sa);
  if (err) throw new TrustRequestError(err);
}

function checkAccount(what: string, account: string | undefined): void {
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new TrustRequestError(`${what} "${account}" is not a 12-digit AWS account id`);
  }
}

export function serviceAccountSubject(ns: string, sa: string): string {
  return `system:serviceaccount:${ns}:${sa}`;
}

export function irsaRequest(input: IrsaInput): TrustRequest {
  checkNames(input.namespace, input.serviceAccount);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.issuer) && !/^https:\/\//i.test(input.issuer)) {
    throw new TrustRequestError(`issuer "${input.issuer}" must be an https:// URL`);
  }
  const path = normalizeIssuer(input.issuer);
  if (!/^[^/\s]+\.[^/\s]+(\/\S*)?$/.test(path)) throw new TrustRequestError(`issuer "${input.issuer}" is not a valid issuer URL`);
  checkAccount("provider account", input.providerAccount);
  const sub = serviceAccountSubject(input.namespace, input.serviceAccount);
  const audience = input.audience ?? DEFAULT_AUDIENCE;
  return {
    mechanism: "irsa",
    principal: { type: "federated", providerPath: path, ...(input.providerAccount ? { providerAccount: input.providerAccount } : {}) },
    actions: [IRSA_ACTION],
    context: { [`${path}:sub`]: sub, [`${path}:aud`]: audience },
    subject: `${sub} (issuer ${path})`,
    unknownKeys: [],
  };
}

/**
 * Without a cluster ARN the cluster-specific keys (eks-cluster-arn/-name tags,
 * aws:SourceArn, aws:SourceAccount) are treated as ABSENT: conditions that
 * require them fail, negated and IfExists ones pass. Pod name/uid tags are
 * always unknown and likewise absent. aws:TagKeys still lists all six keys,
 * because EKS always sends them.
 */
export function podIdentityRequest(input: PodIdentityInput): TrustRequest {
  checkNames(input.namespace, input.serviceAccount);
  const sessionTags = input.sessionTags ?? true;
  let cluster = null;
  if (input.clusterArn !== undefined) {
    cluster = parseClusterArn(input.clusterArn);
    if (!cluster) throw new TrustRequestError(`cluster ARN "${input.clusterArn}" is not an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>)`);
  }
  checkAccount("source account", input.sourceAccount);
  const context: ContextInput = {};
  const unknownKeys: string[] = [];
  const account = cluster?.account ?? input.sourceAccount;
  if (account) context["aws:SourceAccount"] = account;
  else unknownKeys.push("aws:SourceAccount");
  if (cluster) context["aws:SourceArn"] = cluster.arn;
  else unknownKeys.push("aws:SourceArn");
  if (sessionTags) {
    const tags: Record<string, string | undefined> = {
      "eks-cluster-arn": cluster?.arn,
      "eks-cluster-name": cluster?.name,
      "kubernetes-namespace": input.namespace,
      "kubernetes-service-account": input.serviceAccount,
    };
    for (const key of POD_IDENTITY_TAG_KEYS) {
      const v = tags[key];
      if (v !== undefined) context[`aws:RequestTag/${key}`] = v;
      else unknownKeys.push(`aws:RequestTag/${key}`);
    }
    context["aws:TagKeys"] = [...POD_IDENTITY_TAG_KEYS];
  }
  const where = cluster ? ` on cluster ${cluster.name}` : "";
  return {
    mechanism: "pod-identity",
    principal: { type: "service", service: PODS_SERVICE },
    actions: sessionTags ? [ASSUME_ROLE, TAG_SESSION] : [ASSUME_ROLE],
    context,
    subject: `service account ${input.namespace}/${input.serviceAccount}${where} via EKS Pod Identity`,
    unknownKeys,
  };
}

export function buildRequest(input: CanAssumeInput): TrustRequest {
  return input.mechanism === "irsa" ? irsaRequest(input) : podIdentityRequest(input);
}
