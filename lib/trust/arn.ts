import { matchWildcard } from "./wildcard";

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Splits on the first five colons; the resource part may itself contain colons. */
export function parseArn(text: string): Arn | null {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return null;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(":") };
}

function arnSegments(text: string): string[] | null {
  const parts = text.split(":");
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/**
 * ArnLike / ArnEquals (IAM treats them identically): each of the six
 * colon-delimited segments is matched on its own, case-sensitively, with `*`/`?`.
 * A pattern that does not even start with "arn:" (e.g. a bare "*") is matched
 * against the whole value instead, so such policies do not silently stop
 * matching; an "arn:" pattern with too few segments matches nothing.
 */
export function arnMatches(pattern: string, value: string): boolean {
  if (!pattern.startsWith("arn:")) return matchWildcard(pattern, value, { policyEscapes: true });
  const p = arnSegments(pattern);
  if (!p) return false;
  const v = arnSegments(value);
  if (!v) return false;
  return p.every((seg, i) => matchWildcard(seg, v[i] as string, { policyEscapes: true }));
}

export interface ClusterArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  name: string;
}

const CLUSTER_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):eks:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9][A-Za-z0-9_-]{0,99})$/;

export function parseClusterArn(text: string): ClusterArn | null {
  const m = CLUSTER_ARN.exec(text);
  if (!m) return null;
  return { arn: text, partition: m[1] as string, region: m[2] as string, account: m[3] as string, name: m[4] as string };
}

interface OidcProviderArn {
  account: string;
  /** Issuer host + path, without scheme; host lower-cased. */
  path: string;
}

export function parseOidcProviderArn(text: string): OidcProviderArn | null {
  const arn = parseArn(text);
  if (!arn || arn.service !== "iam" || arn.region !== "") return null;
  if (!arn.resource.startsWith("oidc-provider/")) return null;
  const path = normalizeIssuer(arn.resource.slice("oidc-provider/".length));
  return path ? { account: arn.account, path } : null;
}

/**
 * Issuer URL -> IAM provider path: drop the https:// scheme and trailing slashes,
 * lower-case the host (DNS is case-insensitive) but keep the path as written,
 * because EKS issuer ids are case-significant path segments.
 */
export function normalizeIssuer(issuer: string): string {
  let s = issuer.trim().replace(/^https:\/\//i, "").replace(/\/+$/, "");
  const slash = s.indexOf("/");
  s = slash < 0 ? s.toLowerCase() : s.slice(0, slash).toLowerCase() + s.slice(slash);
  return s;
}
