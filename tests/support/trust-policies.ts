import type { CanAssumeInput } from "@/lib/trust";

import { PROD as ACCT } from "./constants";

export { ACCT };
export const ISSUER_PATH = "oidc.eks.us-east-1.amazonaws.com/id/ABC123";
export const ISSUER = `https://${ISSUER_PATH}`;
export const GREEN_PATH = "oidc.eks.us-east-1.amazonaws.com/id/GREEN9";
export const PROVIDER = `arn:aws:iam::${ACCT}:oidc-provider/${ISSUER_PATH}`;
export const GREEN_PROVIDER = `arn:aws:iam::${ACCT}:oidc-provider/${GREEN_PATH}`;
export const CLUSTER_ARN = `arn:aws:eks:us-east-1:${ACCT}:cluster/prod-blue`;
export const SUB_KEY = `${ISSUER_PATH}:sub`;
export const AUD_KEY = `${ISSUER_PATH}:aud`;

export const sub = (ns: string, sa: string) => `system:serviceaccount:${ns}:${sa}`;

export type Stmt = Record<string, unknown>;

export function policy(...statements: Stmt[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The canonical IRSA statement EKS documentation shows. */
export function irsaStmt(condition?: Record<string, Record<string, unknown>>, extra: Stmt = {}): Stmt {
  return {
    Effect: "Allow",
    Principal: { Federated: PROVIDER },
    Action: "sts:AssumeRoleWithWebIdentity",
    ...(condition ? { Condition: condition } : {}),
    ...extra,
  };
}

export function podStmt(actions: string | string[] = ["sts:AssumeRole", "sts:TagSession"], extra: Stmt = {}): Stmt {
  return { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: actions, ...extra };
}

export const irsa = (ns = "domino-compute", sa = "svc-etl", more: Partial<CanAssumeInput> = {}): CanAssumeInput =>
  ({ mechanism: "irsa", issuer: ISSUER, namespace: ns, serviceAccount: sa, ...more }) as CanAssumeInput;

export const pod = (more: Record<string, unknown> = {}): CanAssumeInput =>
  ({ mechanism: "pod-identity", namespace: "domino-compute", serviceAccount: "svc-etl", ...more }) as CanAssumeInput;
