/**
 * Fast path for the "who can assume what" index: reduce a trust policy to the
 * IRSA grants it contains (provider + subject/audience patterns) so edges
 * role -> service account can be computed by pattern lookup instead of
 * evaluating every role against every service account.
 *
 * Correctness contract: when `exact` is true, irsaDecision() gives the same
 * answer as evaluateTrust(irsaRequest(...)). Constructs the grant model cannot
 * express (NotPrincipal, "*" principals, negated or non-string conditions on
 * :sub/:aud, ...) set exact=false, and callers must fall back to evaluateTrust.
 */
import { normalizeIssuer, parseOidcProviderArn } from "./arn";
import { RequestContext, evaluateClause } from "./conditions";
import { actionCovered } from "./evaluate";
import { matchStatementPrincipal } from "./principal";
import { ASSUME_ROLE, DEFAULT_AUDIENCE, IRSA_ACTION, PODS_SERVICE, TAG_SESSION, serviceAccountSubject } from "./requests";
import type { ConditionClause, Effect, PolicyStatement, RequestPrincipal, TrustPolicy } from "./types";
import { matchWildcard, unescapePolicyValue } from "./wildcard";

export interface ValuePattern {
  /** "exact": StringEquals(IgnoreCase); "wildcard": StringLike with * or ?. */
  kind: "exact" | "wildcard";
  value: string;
  ignoreCase: boolean;
}

export interface IrsaGrant {
  statementIndex: number;
  sid?: string;
  effect: Effect;
  /** Issuer host + path (no scheme), as in the provider ARN. */
  providerPath: string;
  providerAccount: string;
  /** null = no :sub condition, i.e. every service account of that issuer. Patterns are OR-ed. */
  subjects: ValuePattern[] | null;
  /** null = no :aud condition. */
  audiences: ValuePattern[] | null;
}

export interface PodIdentityTrust {
  /** Some Allow statement lets pods.eks.amazonaws.com call sts:AssumeRole (conditions aside). */
  trusted: boolean;
  /** Some Allow statement lets it call sts:TagSession (conditions aside). */
  tagSession: boolean;
  /** Allowed for every service account and cluster: unconditional Allows, no applicable Deny. */
  unconditional: boolean;
}

export interface TrustGrants {
  irsa: IrsaGrant[];
  podIdentity: PodIdentityTrust;
  exact: boolean;
  inexactReasons: string[];
}

const EMPTY = new RequestContext({});
const PATTERN_OPS = new Set(["StringEquals", "StringEqualsIgnoreCase", "StringLike"]);

function toPatterns(clause: ConditionClause): ValuePattern[] {
  return clause.values.map((v) => {
    if (clause.operator.base === "StringLike") return { kind: "wildcard", value: v, ignoreCase: false };
    return { kind: "exact", value: unescapePolicyValue(v), ignoreCase: clause.operator.base === "StringEqualsIgnoreCase" };
  });
}

export function patternMatches(p: ValuePattern, value: string): boolean {
  if (p.kind === "wildcard") return matchWildcard(p.value, value, { policyEscapes: true });
  return p.ignoreCase ? p.value.toLowerCase() === value.toLowerCase() : p.value === value;
}

function grantsForStatement(st: PolicyStatement, inexact: string[]): IrsaGrant[] {
  if (!actionCovered(st, IRSA_ACTION)) return [];
  const label = `statement ${st.index}`;
  if (st.principalNegated) {
    inexact.push(`${label} uses NotPrincipal`);
    return [];
  }
  if (st.principal.kind === "any" || st.principal.aws.includes("*")) {
    inexact.push(`${label} trusts every principal`);
    return [];
  }
  const out: IrsaGrant[] = [];
  for (const entry of st.principal.federated) {
    const provider = parseOidcProviderArn(entry);
    if (!provider) continue;
    const subKey = `${provider.path}:sub`.toLowerCase();
    const audKey = `${provider.path}:aud`.toLowerCase();
    let subjects: ValuePattern[] | null = null;
    let audiences: ValuePattern[] | null = null;
    let possible = true;
    let ok = true;
    for (const clause of st.conditions) {
      const key = clause.key.toLowerCase();
      if (key !== subKey && key !== audKey) {
        // Any other key is absent from an IRSA request for this provider, so the
        // clause has a fixed outcome we can settle now.
        if (!evaluateClause(clause, EMPTY).ok) possible = false;
        continue;
      }
      // :sub and :aud are single-valued and always present, so IfExists and the
      // set prefixes reduce to the plain operator.
      const current = key === subKey ? subjects : audiences;
      if (!PATTERN_OPS.has(clause.operator.base) || current !== null) {
        inexact.push(`${label} has a ${clause.operator.raw} condition on ${clause.key} the index cannot express`);
        ok = false;
        break;
      }
      if (key === subKey) subjects = toPatterns(clause);
      else audiences = toPatterns(clause);
    }
    if (!ok) return [];
    if (!possible) continue;
    out.push({
      statementIndex: st.index,
      ...(st.sid !== undefined ? { sid: st.sid } : {}),
      effect: st.effect,
      providerPath: provider.path,
      providerAccount: provider.account,
      subjects,
      audiences,
    });
  }
  return out;
}

function podIdentityTrust(policy: TrustPolicy): PodIdentityTrust {
  const pods: RequestPrincipal = { type: "service", service: PODS_SERVICE };
  const relevant = policy.statements.filter((st) => matchStatementPrincipal(st, pods).ok);
  const allowFor = (action: string, unconditional: boolean) =>
    relevant.some((st) => st.effect === "Allow" && actionCovered(st, action) && (!unconditional || st.conditions.length === 0));
  const anyDeny = relevant.some((st) => st.effect === "Deny" && (actionCovered(st, ASSUME_ROLE) || actionCovered(st, TAG_SESSION)));
  return {
    trusted: allowFor(ASSUME_ROLE, false),
    tagSession: allowFor(TAG_SESSION, false),
    unconditional: !anyDeny && allowFor(ASSUME_ROLE, true) && allowFor(TAG_SESSION, true),
  };
}

export function extractGrants(policy: TrustPolicy): TrustGrants {
  const inexactReasons: string[] = [];
  const irsa = policy.statements.flatMap((st) => grantsForStatement(st, inexactReasons));
  return { irsa, podIdentity: podIdentityTrust(policy), exact: inexactReasons.length === 0, inexactReasons };
}

export interface IrsaQuery {
  issuer: string;
  namespace: string;
  serviceAccount: string;
  audience?: string;
  providerAccount?: string;
}

export function grantMatches(g: IrsaGrant, q: IrsaQuery): boolean {
  if (g.providerPath !== normalizeIssuer(q.issuer)) return false;
  if (q.providerAccount !== undefined && q.providerAccount !== g.providerAccount) return false;
  const sub = serviceAccountSubject(q.namespace, q.serviceAccount);
  if (g.subjects && !g.subjects.some((p) => patternMatches(p, sub))) return false;
  const aud = q.audience ?? DEFAULT_AUDIENCE;
  return !g.audiences || g.audiences.some((p) => patternMatches(p, aud));
}

/** IRSA answer from grants alone; undefined when the policy is not exact (use evaluateTrust). */
export function irsaDecision(grants: TrustGrants, q: IrsaQuery): boolean | undefined {
  if (!grants.exact) return undefined;
  const hits = grants.irsa.filter((g) => grantMatches(g, q));
  return hits.length > 0 && hits.every((g) => g.effect === "Allow");
}

/** Pod Identity answer when it is SA-independent; undefined when conditions need a full evaluation. */
export function podIdentityDecision(grants: TrustGrants): boolean | undefined {
  if (!grants.podIdentity.trusted) return false;
  return grants.podIdentity.unconditional ? true : undefined;
}
