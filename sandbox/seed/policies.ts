// Builders for trust and permission policy documents, in the shapes real
// accounts contain (single values vs lists, StringLike vs StringEquals), so the
// trust evaluator is exercised on realistic input.
import { issuerHost, oidcProviderArn, saSubject } from "./constants";

export type Statement = Record<string, unknown>;

export const policyDoc = (...statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

interface IrsaTrust {
  cluster: string;
  /** Service accounts as "ns:name"; omitted = aud-only trust (any SA of the cluster). */
  subjects?: string[];
  /** Use StringLike (the subjects contain * or ?). */
  like?: boolean;
  sid?: string;
}

export function irsaStatement(t: IrsaTrust): Statement {
  const host = issuerHost(t.cluster);
  const condition: Record<string, Record<string, unknown>> = { StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" } };
  if (t.subjects) {
    const subs = t.subjects.map((s) => {
      const [ns, name] = s.split(":");
      return saSubject(ns!, name!);
    });
    const value = subs.length === 1 ? subs[0] : subs;
    if (t.like) condition.StringLike = { [`${host}:sub`]: value };
    else condition.StringEquals![`${host}:sub`] = value;
  }
  return {
    ...(t.sid ? { Sid: t.sid } : {}),
    Effect: "Allow",
    Principal: { Federated: oidcProviderArn(t.cluster) },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: condition,
  };
}

export interface PodIdentityTrust {
  /** Leave out sts:TagSession (a real misconfiguration when session tags are on). */
  noTagSession?: boolean;
  sourceAccount?: string;
  /** Extra conditions, e.g. ABAC on aws:RequestTag/kubernetes-namespace. */
  condition?: Record<string, Record<string, unknown>>;
}

export function podIdentityStatement(t: PodIdentityTrust = {}): Statement {
  const condition = { ...(t.condition ?? {}) };
  if (t.sourceAccount) condition.StringEquals = { ...(condition.StringEquals ?? {}), "aws:SourceAccount": t.sourceAccount };
  return {
    Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
    Effect: "Allow",
    Principal: { Service: "pods.eks.amazonaws.com" },
    Action: t.noTagSession ? "sts:AssumeRole" : ["sts:AssumeRole", "sts:TagSession"],
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

export const serviceStatement = (service: string | string[]): Statement => ({
  Effect: "Allow",
  Principal: { Service: service },
  Action: "sts:AssumeRole",
});

export const awsPrincipalStatement = (arn: string | string[], condition?: Statement): Statement => ({
  Effect: "Allow",
  Principal: { AWS: arn },
  Action: "sts:AssumeRole",
  ...(condition ? { Condition: condition } : {}),
});

/** Cross-account target trust: the source role may chain into it only with the association's external id. */
export const crossAccountTargetStatement = (sourceRoleArn: string, externalId: string): Statement => ({
  Sid: "AllowDominoPodIdentitySource",
  Effect: "Allow",
  Principal: { AWS: sourceRoleArn },
  Action: ["sts:AssumeRole", "sts:TagSession"],
  Condition: { StringEquals: { "sts:ExternalId": externalId } },
});

export const allow = (action: string | string[], resource: string | string[], extra: Statement = {}): Statement => ({
  Effect: "Allow",
  Action: action,
  Resource: resource,
  ...extra,
});

export const s3ReadPolicy = (bucket: string, prefix = "*") =>
  policyDoc(
    allow(["s3:GetObject", "s3:GetObjectVersion"], `arn:aws:s3:::${bucket}/${prefix}`),
    allow("s3:ListBucket", `arn:aws:s3:::${bucket}`),
  );

export const s3WritePolicy = (bucket: string, prefix = "*") =>
  policyDoc(allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], `arn:aws:s3:::${bucket}/${prefix}`), allow("s3:ListBucket", `arn:aws:s3:::${bucket}`));

/** Managed policy attachment; `account` for customer-managed ones, `path` like "service-role/". */
export const managed = (policyName: string, opts: { account?: string; path?: string } = {}) => ({
  policyName,
  policyArn: `arn:aws:iam::${opts.account ?? "aws"}:policy/${opts.path ?? ""}${policyName}`,
});
