/** Normalised trust policy: every "single value or list" is a list here. */
export interface TrustPolicy {
  version?: string;
  id?: string;
  statements: PolicyStatement[];
}

export type Effect = "Allow" | "Deny";

export type PrincipalSpec =
  | { kind: "any" }
  | { kind: "map"; aws: string[]; service: string[]; federated: string[]; canonicalUser: string[] };

export interface PolicyStatement {
  index: number;
  sid?: string;
  effect: Effect;
  principal: PrincipalSpec;
  /** true when the statement used NotPrincipal. */
  principalNegated: boolean;
  actions: string[];
  /** true when the statement used NotAction. */
  actionNegated: boolean;
  /** Kept for reporting only: IAM rejects Resource in trust policies, the role is the resource. */
  resources: string[];
  conditions: ConditionClause[];
}

export type BaseOperator =
  | "StringEquals" | "StringNotEquals" | "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase"
  | "StringLike" | "StringNotLike"
  | "ArnEquals" | "ArnLike" | "ArnNotEquals" | "ArnNotLike"
  | "NumericEquals" | "NumericNotEquals" | "NumericLessThan" | "NumericLessThanEquals"
  | "NumericGreaterThan" | "NumericGreaterThanEquals"
  | "DateEquals" | "DateNotEquals" | "DateLessThan" | "DateLessThanEquals"
  | "DateGreaterThan" | "DateGreaterThanEquals"
  | "Bool" | "BinaryEquals" | "IpAddress" | "NotIpAddress" | "Null";

type SetPrefix = "ForAnyValue" | "ForAllValues";

export interface ConditionOperator {
  /** As written in the policy, for messages. */
  raw: string;
  base: BaseOperator;
  set: SetPrefix | null;
  ifExists: boolean;
}

export interface ConditionClause {
  operator: ConditionOperator;
  /** Key as written; lookups are case-insensitive. */
  key: string;
  /** Policy values as strings (JSON numbers/booleans stringified). */
  values: string[];
}

/** Request context: key -> values. Keys are matched case-insensitively. */
export type ContextInput = Record<string, string | string[]>;

export type RequestPrincipal =
  | { type: "federated"; providerPath: string; providerAccount?: string }
  | { type: "service"; service: string };

export type Mechanism = "irsa" | "pod-identity";

export interface TrustRequest {
  mechanism: Mechanism;
  principal: RequestPrincipal;
  /** Every action must be allowed for the request to succeed. */
  actions: string[];
  context: ContextInput;
  /** Short human description of the caller, used in reasons. */
  subject: string;
  /** Context keys the caller would send but whose values we do not know. */
  unknownKeys: string[];
}

export interface StatementResult {
  index: number;
  sid?: string;
  effect: Effect;
  /** true when the statement applied to at least one of the request's actions. */
  matched: boolean;
  /** The actions this statement applied to (allowed or denied). */
  actions: string[];
  why: string;
}

export interface ActionDecision {
  action: string;
  decision: "allowed" | "explicit-deny" | "implicit-deny";
  /** Statement indexes that allowed (or denied) the action. */
  statements: number[];
}

export interface TrustResult {
  allowed: boolean;
  mechanism: Mechanism;
  reason: string;
  statements: StatementResult[];
  actions: ActionDecision[];
}

export class TrustPolicyError extends Error {
  override name = "TrustPolicyError";
}

/** Invalid request input (names, issuer, cluster ARN). */
export class TrustRequestError extends Error {
  override name = "TrustRequestError";
}
