export * from "./types";
export { parseTrustPolicy, safeParseTrustPolicy, decodePolicyText, type ParseResult } from "./parse";
export { evaluateTrust, actionCovered } from "./evaluate";
export { parseOperator, evaluateClause, RequestContext } from "./conditions";
export { compileWildcard, matchWildcard, hasWildcard, type CompiledWildcard, type WildcardOptions } from "./wildcard";
export { parseArn, arnMatches, parseClusterArn, parseOidcProviderArn, normalizeIssuer, type ClusterArn } from "./arn";
export { namespaceError, serviceAccountError } from "./names";
export {
  irsaRequest,
  podIdentityRequest,
  buildRequest,
  serviceAccountSubject,
  IRSA_ACTION,
  ASSUME_ROLE,
  TAG_SESSION,
  PODS_SERVICE,
  DEFAULT_AUDIENCE,
  POD_IDENTITY_TAG_KEYS,
  type IrsaInput,
  type PodIdentityInput,
  type CanAssumeInput,
} from "./requests";
export {
  extractGrants,
  irsaDecision,
  podIdentityDecision,
  grantMatches,
  patternMatches,
  type TrustGrants,
  type IrsaGrant,
  type IrsaQuery,
  type ValuePattern,
  type PodIdentityTrust,
} from "./grants";

export { canAssume } from "./can-assume";
export { openPodIdentityStatements, tightConditions, tightenTrust, tighteningImpact, type TrustUse, type UseImpact } from "./tighten";
