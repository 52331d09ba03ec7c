/** Kubernetes name rules: namespaces are DNS-1123 labels, service accounts DNS-1123 subdomains. */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function namespaceError(ns: string): string | null {
  if (ns === "") return "namespace must not be empty";
  if (ns.length > 63) return `namespace "${ns}" is longer than 63 characters`;
  if (!LABEL.test(ns)) return `namespace "${ns}" is not a valid DNS-1123 label (lower-case letters, digits, "-")`;
  return null;
}

export function serviceAccountError(sa: string): string | null {
  if (sa === "") return "service account name must not be empty";
  if (sa.length > 253) return `service account name "${sa.slice(0, 40)}..." is longer than 253 characters`;
  const ok = sa.split(".").every((l) => l.length <= 63 && LABEL.test(l));
  return ok ? null : `service account name "${sa}" is not a valid DNS-1123 subdomain (lower-case letters, digits, "-", ".")`;
}
