import { parseOidcProviderArn } from "./arn";
import type { PolicyStatement, PrincipalSpec, RequestPrincipal } from "./types";

function describePrincipal(p: RequestPrincipal): string {
  if (p.type === "service") return `service ${p.service}`;
  const acct = p.providerAccount ? ` in account ${p.providerAccount}` : "";
  return `OIDC provider ${p.providerPath}${acct}`;
}

/**
 * Does one Federated principal entry name the caller's OIDC provider?
 * The provider path must match; the account only counts when the request
 * knows it (the CLI gets an issuer URL, which carries no account).
 */
function federatedMatches(entry: string, p: RequestPrincipal): boolean {
  if (p.type !== "federated") return false;
  const arn = parseOidcProviderArn(entry);
  if (!arn) return false;
  if (arn.path !== p.providerPath) return false;
  return p.providerAccount === undefined || p.providerAccount === arn.account;
}

/** Matches a principal spec, ignoring NotPrincipal negation. */
function specMatches(spec: PrincipalSpec, p: RequestPrincipal): boolean {
  if (spec.kind === "any") return true;
  // AWS documents {"AWS": "*"} as equivalent to "*" (every principal).
  if (spec.aws.includes("*")) return true;
  if (p.type === "service") {
    return spec.service.some((s) => s.toLowerCase() === p.service.toLowerCase());
  }
  return spec.federated.some((f) => federatedMatches(f, p));
}

function describeSpec(spec: PrincipalSpec): string {
  if (spec.kind === "any") return '"*"';
  const parts: string[] = [];
  const add = (label: string, v: string[]) => v.length && parts.push(`${label} ${v.join(", ")}`);
  add("Federated", spec.federated);
  add("Service", spec.service);
  add("AWS", spec.aws);
  add("CanonicalUser", spec.canonicalUser);
  return parts.join("; ");
}

export function matchStatementPrincipal(st: PolicyStatement, p: RequestPrincipal): { ok: boolean; why: string } {
  const hit = specMatches(st.principal, p);
  if (st.principalNegated) {
    return hit
      ? { ok: false, why: `NotPrincipal excludes ${describePrincipal(p)}` }
      : { ok: true, why: `NotPrincipal does not exclude ${describePrincipal(p)}` };
  }
  return hit
    ? { ok: true, why: `Principal covers ${describePrincipal(p)}` }
    : { ok: false, why: `Principal (${describeSpec(st.principal)}) does not cover ${describePrincipal(p)}` };
}
