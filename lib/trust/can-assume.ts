import { evaluateTrust } from "./evaluate";
import { parseTrustPolicy } from "./parse";
import { buildRequest, type CanAssumeInput } from "./requests";
import type { TrustPolicy, TrustResult } from "./types";

/**
 * One call for "may this service account assume the role?".
 * Throws TrustPolicyError (bad policy) or TrustRequestError (bad input).
 */
export function canAssume(policy: string | TrustPolicy, input: CanAssumeInput): TrustResult {
  const parsed = typeof policy === "string" ? parseTrustPolicy(policy) : policy;
  return evaluateTrust(parsed, buildRequest(input));
}
