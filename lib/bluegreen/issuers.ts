// Which web-identity issuers the trust policies of a snapshot name, and which of
// them RoleGate may offer to clean up (pure). Only an EKS cluster issuer
// (oidc.eks.<region>.amazonaws.com/id/<ID>) can ever be "retired", and only when
// RoleGate sees everything that could still own it:
// - the issuer's region is watched, with every cluster ("*"), in each account
//   whose IAM registers it (IRSA's set-up: the role's account holds the cluster's
//   OIDC provider; a cluster in an account RoleGate does not watch stays invisible),
// - that account/region was listed and every cluster in it scanned without error,
// - and no cluster there has the issuer (or an operator marked that cluster retired).
// Anything else is shown and never offered: GitHub Actions, GitLab, Terraform
// Cloud, Google, Cognito... ("non-eks"), and EKS issuers whose owner RoleGate
// cannot see ("unknown").
import type { InventorySnapshot, SnapshotRole } from "@/lib/inventory/snapshot-types";
import { issuerHost } from "./trust";

const EKS_ISSUER = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/id\/[A-Za-z0-9]+$/i;

/** The region of an EKS cluster issuer, or null when the issuer is not an EKS cluster's. */
export function eksIssuerRegion(issuer: string): string | null {
  return EKS_ISSUER.exec(issuerHost(issuer))?.[1]?.toLowerCase() ?? null;
}

export interface IssuerUse {
  /** Issuer host (IAM's form, no scheme), or the provider name of a built-in web identity provider (accounts.google.com). */
  issuer: string;
  /** ARNs of the roles whose trust names it. */
  roles: string[];
}

export interface RetiredIssuerUse extends IssuerUse {
  /** Cluster the issuer belonged to, when known (an older scan, or the operator's retired list). */
  cluster?: string;
}

export interface OtherIssuerUse extends IssuerUse {
  kind: "non-eks" | "unknown";
  reason: string;
}

export interface IssuerClassification {
  retired: RetiredIssuerUse[];
  other: OtherIssuerUse[];
  /** Issuers of clusters that exist (not retired): never listed. */
  live: Set<string>;
}

/** Web-identity issuers a trust statement federates with, per account whose IAM provider it names. */
function federatedIssuers(role: SnapshotRole): { issuer: string; accountId: string }[] {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(role.trustPolicy) as { Statement?: unknown };
  } catch {
    return [];
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.flatMap((st: { Principal?: { Federated?: unknown } }) => {
    const f = st?.Principal && typeof st.Principal === "object" ? st.Principal.Federated : undefined;
    return (Array.isArray(f) ? f : f ? [f] : []).map(String).flatMap((p) => {
      if (p.includes(":oidc-provider/")) return [{ issuer: p.split(":oidc-provider/")[1]!, accountId: p.split(":")[4] ?? role.accountId }];
      // SAML providers are not web identity; a bare name (accounts.google.com, cognito-identity.amazonaws.com) is a built-in provider.
      if (p.startsWith("arn:")) return [];
      return [{ issuer: p, accountId: role.accountId }];
    });
  });
}

/** Why RoleGate cannot tell whether an EKS issuer's cluster still exists, or null when it can. */
export function unseenReason(snapshot: InventorySnapshot, accountId: string, region: string): string | null {
  const account = snapshot.accounts.find((a) => a.accountId === accountId);
  if (!account || !account.regions.includes(region)) return `RoleGate does not watch ${accountId}/${region}: a cluster there may still use it.`;
  const named = account.namedClusters?.[region];
  if (named) return `RoleGate watches only ${named.join(", ")} in ${accountId}/${region}: another cluster there may still use it.`;
  const failed = snapshot.errors.find((e) => e.scope === `target:${accountId}/${region}` || e.scope.startsWith(`cluster:${accountId}/${region}/`) || e.scope.startsWith(`account:${accountId}`));
  if (failed) return `The latest scan of ${accountId}/${region} was incomplete (${failed.scope}): rescan before cleaning up.`;
  return null;
}

/**
 * Every issuer the snapshot's trust policies name except those of existing clusters:
 * EKS issuers RoleGate can prove retired, and the others (non-EKS, or unknown) with the reason.
 */
export function classifyIssuers(
  snapshot: InventorySnapshot,
  knownClusters: ReadonlyMap<string, string> = new Map(),
  markedRetired: ReadonlySet<string> = new Set(),
): IssuerClassification {
  const live = new Set(snapshot.clusters.flatMap((c) => (c.oidcIssuer && !markedRetired.has(c.name) ? [issuerHost(c.oidcIssuer).toLowerCase()] : [])));
  const former = new Map(knownClusters);
  for (const c of snapshot.clusters) if (markedRetired.has(c.name) && c.oidcIssuer) former.set(issuerHost(c.oidcIssuer).toLowerCase(), c.name);
  const uses = new Map<string, { issuer: string; roles: Set<string>; accounts: Set<string> }>();
  for (const role of snapshot.roles) {
    for (const { issuer, accountId } of federatedIssuers(role)) {
      const key = issuer.toLowerCase();
      if (live.has(key)) continue;
      const u = uses.get(key) ?? { issuer, roles: new Set<string>(), accounts: new Set<string>() };
      u.roles.add(role.arn);
      u.accounts.add(accountId);
      uses.set(key, u);
    }
  }
  const retired: RetiredIssuerUse[] = [];
  const other: OtherIssuerUse[] = [];
  for (const [key, u] of uses) {
    const roles = [...u.roles].sort();
    const region = eksIssuerRegion(u.issuer);
    if (!region) {
      other.push({ issuer: u.issuer, roles, kind: "non-eks", reason: "Not an EKS cluster issuer (e.g. GitHub Actions, GitLab, Terraform Cloud, Google, Cognito): RoleGate never edits its trust." });
      continue;
    }
    const unseen = [...u.accounts].sort().map((a) => unseenReason(snapshot, a, region)).find(Boolean);
    if (unseen) other.push({ issuer: u.issuer, roles, kind: "unknown", reason: unseen });
    else retired.push({ issuer: u.issuer, roles, ...(former.get(key) ? { cluster: former.get(key) } : {}) });
  }
  const byIssuer = (a: IssuerUse, b: IssuerUse) => a.issuer.localeCompare(b.issuer);
  return { retired: retired.sort(byIssuer), other: other.sort(byIssuer), live };
}
