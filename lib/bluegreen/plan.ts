// The Blue -> Green move computed from one inventory snapshot (pure):
// associations on Blue missing on Green, IRSA roles trusting Blue without an
// equivalent Green statement (with the edited trust policy), and the clean-up
// of a retired issuer.
import type { InventorySnapshot, SnapshotCluster, SnapshotRole } from "@/lib/inventory/snapshot-types";
import { cleanupTrust, issuerHost, providerArnFor, repointTrust, type TrustEdit } from "./trust";

interface AssociationCopy {
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  disableSessionTags: boolean;
  policy?: string;
  blueAssociationId: string;
}

interface SkippedCopy extends AssociationCopy {
  reason: string;
}

export interface RoleTrustPlan {
  roleArn: string;
  roleName: string;
  accountId: string;
  edit: TrustEdit;
  /** Subjects (":sub" values) of the statements the edit adds or removes, for display. */
  subjects: string[];
  /** The new document is over IAM's default trust-policy size (2,048 characters without whitespace). */
  sizeWarning?: string;
}

/** IAM's default quota for a role trust policy (raisable to 8,192), counted without whitespace. */
const TRUST_POLICY_DEFAULT_QUOTA = 2048;

export interface MovePlan {
  blue: string;
  green: string;
  accountId: string;
  region: string;
  blueIssuer?: string;
  greenIssuer?: string;
  /** Pod Identity: (ns, SA) -> role on Blue with no association on Green. */
  copies: AssociationCopy[];
  /** On Blue, not copied: role gone, add-on owned, or Green maps the SA to another role. */
  skipped: SkippedCopy[];
  /** IRSA: roles trusting the Blue issuer for subjects the Green issuer is not trusted for. */
  repoint: RoleTrustPlan[];
  /** Roles that need re-pointing but whose account has no IAM OIDC provider for Green's issuer yet. */
  repointBlocked: (RoleTrustPlan & { reason: string })[];
}

const subjectsOf = (statements: Record<string, unknown>[]) =>
  [...new Set(statements.flatMap((st) => Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((keys) =>
    Object.entries(keys).filter(([k]) => /:sub$/i.test(k)).flatMap(([, v]) => (Array.isArray(v) ? v.map(String) : [String(v)]))),
  ))];

export function findCluster(snapshot: InventorySnapshot, name: string): SnapshotCluster | undefined {
  return snapshot.clusters.find((c) => c.name === name);
}

export function computeMove(snapshot: InventorySnapshot, blueName: string, greenName: string): MovePlan {
  const blue = findCluster(snapshot, blueName);
  const green = findCluster(snapshot, greenName);
  if (!blue || !green) throw new Error(`${!blue ? blueName : greenName} is not in the latest scan`);
  const scannedAccounts = new Set(snapshot.accounts.map((a) => a.accountId));
  const roles = new Map(snapshot.roles.map((r) => [r.arn, r]));
  const copies: AssociationCopy[] = [];
  const skipped: SkippedCopy[] = [];
  for (const a of blue.associations) {
    const copy: AssociationCopy = {
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: a.roleArn,
      ...(a.targetRoleArn ? { targetRoleArn: a.targetRoleArn } : {}),
      disableSessionTags: a.disableSessionTags,
      ...(a.policy ? { policy: a.policy } : {}),
      blueAssociationId: a.associationId,
    };
    const onGreen = green.associations.find((g) => g.namespace === a.namespace && g.serviceAccount === a.serviceAccount);
    if (onGreen?.roleArn === a.roleArn) continue;
    if (onGreen) skipped.push({ ...copy, reason: `Green maps it to ${onGreen.roleArn} (association ${onGreen.associationId}); file an update request if Blue's role is the right one.` });
    else if (a.ownerArn) skipped.push({ ...copy, reason: `Owned by ${a.ownerArn}: install that add-on on Green instead.` });
    else if (scannedAccounts.has(a.roleArn.split(":")[4] ?? "") && !roles.has(a.roleArn)) skipped.push({ ...copy, reason: `Role ${a.roleArn} no longer exists.` });
    else copies.push(copy);
  }
  const repoint: RoleTrustPlan[] = [];
  const repointBlocked: (RoleTrustPlan & { reason: string })[] = [];
  if (blue.oidcIssuer && green.oidcIssuer) {
    const greenHost = issuerHost(green.oidcIssuer).toLowerCase();
    const registered = new Set(snapshot.oidcProviders.filter((p) => issuerHost(p.url).toLowerCase() === greenHost).map((p) => p.accountId));
    for (const role of snapshot.roles) {
      const edit = repointTrust(role.trustPolicy, providerArnFor(role.accountId, blue.oidcIssuer), providerArnFor(role.accountId, green.oidcIssuer));
      if (!edit.added.length) continue;
      if (registered.has(role.accountId)) repoint.push(rolePlan(role, edit, edit.added));
      else repointBlocked.push({ ...rolePlan(role, edit, edit.added), reason: `Account ${role.accountId} has no IAM OIDC provider for ${issuerHost(green.oidcIssuer)}: register it first (IAM refuses a trust policy naming a missing provider).` });
    }
  }
  return { blue: blueName, green: greenName, accountId: green.accountId, region: green.region, blueIssuer: blue.oidcIssuer, greenIssuer: green.oidcIssuer, copies, skipped, repoint, repointBlocked };
}

function rolePlan(role: SnapshotRole, edit: TrustEdit, statements: Record<string, unknown>[]): RoleTrustPlan {
  const size = JSON.stringify(edit.after).replace(/\s+/g, "").length;
  const sizeWarning = size > TRUST_POLICY_DEFAULT_QUOTA ? `${size} characters: over IAM's default ${TRUST_POLICY_DEFAULT_QUOTA}-character trust-policy quota; raise the account's quota (up to 8,192) or the update will fail.` : undefined;
  return { roleArn: role.arn, roleName: role.roleName, accountId: role.accountId, edit, subjects: subjectsOf(statements), ...(sizeWarning ? { sizeWarning } : {}) };
}

export interface RetiredIssuer {
  host: string;
  /** Cluster the issuer belonged to, when an older scan still names it. */
  cluster?: string;
  roles: number;
}

const providerHostsIn = (role: SnapshotRole): string[] => {
  try {
    const doc = JSON.parse(role.trustPolicy) as { Statement?: unknown };
    const sts = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    return sts.flatMap((st: { Principal?: { Federated?: unknown } }) => {
      const f = st?.Principal?.Federated;
      return (Array.isArray(f) ? f : f ? [f] : []).map(String).filter((a) => a.includes(":oidc-provider/")).map((a) => a.split(":oidc-provider/")[1]!);
    });
  } catch {
    return [];
  }
};

/** Issuers of the snapshot's clusters, except clusters an operator marked retired (ROLEGATE_RETIRED_CLUSTERS). */
const liveIssuerHosts = (snapshot: InventorySnapshot, markedRetired: ReadonlySet<string> = new Set()) =>
  new Set(snapshot.clusters.flatMap((c) => (c.oidcIssuer && !markedRetired.has(c.name) ? [issuerHost(c.oidcIssuer).toLowerCase()] : [])));

/** "a,b" (ROLEGATE_RETIRED_CLUSTERS) -> clusters still running but retired by an operator. */
export const parseRetiredClusters = (text: string | undefined): Set<string> => new Set((text ?? "").split(",").map((s) => s.trim()).filter(Boolean));

/** Issuers named in trust policies that belong to no cluster of the snapshot (knownClusters: lower-cased host -> former cluster). */
export function retiredIssuers(snapshot: InventorySnapshot, knownClusters: Map<string, string> = new Map(), markedRetired: ReadonlySet<string> = new Set()): RetiredIssuer[] {
  const live = liveIssuerHosts(snapshot, markedRetired);
  for (const c of snapshot.clusters) if (markedRetired.has(c.name) && c.oidcIssuer) knownClusters.set(issuerHost(c.oidcIssuer).toLowerCase(), c.name);
  const counts = new Map<string, { host: string; roles: number }>();
  for (const role of snapshot.roles) {
    const hosts = new Map(providerHostsIn(role).map((x) => [x.toLowerCase(), x]));
    for (const [key, host] of hosts) if (!live.has(key)) counts.set(key, { host: counts.get(key)?.host ?? host, roles: (counts.get(key)?.roles ?? 0) + 1 });
  }
  return [...counts].map(([key, { host, roles }]) => ({ host, roles, ...(knownClusters.get(key) ? { cluster: knownClusters.get(key) } : {}) })).sort((a, b) => a.host.localeCompare(b.host));
}

export interface CleanupPlan {
  host: string;
  roles: RoleTrustPlan[];
}

/** Remove only the retired issuer from every trust policy; refuses an issuer of a live cluster. */
export function computeCleanup(snapshot: InventorySnapshot, retiredIssuer: string, markedRetired: ReadonlySet<string> = new Set()): CleanupPlan {
  const host = issuerHost(retiredIssuer);
  const live = snapshot.clusters.find((c) => !markedRetired.has(c.name) && c.oidcIssuer && issuerHost(c.oidcIssuer).toLowerCase() === host.toLowerCase());
  if (live) throw new Error(`${host} is the issuer of ${live.name}, which still exists: retire the cluster (delete it and rescan, or list it in ROLEGATE_RETIRED_CLUSTERS) before cleaning up its trust.`);
  const roles: RoleTrustPlan[] = [];
  for (const role of snapshot.roles) {
    const edit = cleanupTrust(role.trustPolicy, providerArnFor(role.accountId, host));
    if (!edit.removed.length && !edit.changed.length) continue;
    const touched = [...edit.removed, ...edit.changed].map((i) => edit.before.Statement[i]!);
    roles.push(rolePlan(role, edit, touched));
  }
  return { host, roles };
}
