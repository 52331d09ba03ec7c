// The Blue -> Green move computed from one inventory snapshot (pure):
// associations on Blue missing on Green, IRSA roles trusting Blue without an
// equivalent Green statement (with the edited trust policy), and the clean-up
// of a retired issuer.
import type { InventorySnapshot, SnapshotCluster, SnapshotRole } from "@/lib/inventory/snapshot-types";
import { readPolicy, type RawStatement } from "@/lib/inventory/fixes";
import { placementOf } from "@/lib/inventory/placement";
import { placementFactsOf } from "@/lib/inventory/placement/snapshot";
import { classifyIssuers, eksIssuerRegion, unseenReason, type IssuerClassification } from "./issuers";
import { cleanupTrust, issuerHost, needsGreenTwin, providerArnFor, repointTrust, subjectValues, trustsProvider, type TrustEdit } from "./trust";

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
  /** Blue statements deliberately not copied to Green (risky, or Blue's own infrastructure), one entry per role. */
  repointLeftOut: { roleArn: string; roleName: string; accountId: string; reasons: string[] }[];
}

const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * Why a Blue statement is not copied to Green, or null to copy it. Re-pointing copies risk as well as
 * access, so an Allow without a :sub condition (any service account of the issuer) or with a wildcard
 * subject is left out until tightened, and a role only kube-system of Blue uses (Blue's own add-ons)
 * is left out unless a service account on Green is annotated with it. Deny statements are always copied.
 */
export function repointExclusion(st: RawStatement, blueProviderArn: string, blueName: string, greenName: string, referencedOnGreen: boolean): string | null {
  if (st.Effect !== "Allow") return null;
  const subjects = subjectValues(st, blueProviderArn);
  if (!subjects.length) return `A statement without a :sub condition lets every service account of ${blueName} in (finding: aud-only trust); copying it would do the same on ${greenName}. Tighten it to named service accounts first.`;
  const wild = subjects.filter((v) => /[*?]/.test(v));
  if (wild.length) return `Wildcard subject ${wild.join(", ")} (finding: wildcard subject); copying it would let every matching service account of ${greenName} in. Tighten it to named service accounts first.`;
  if (!referencedOnGreen && subjects.every((v) => v.startsWith("system:serviceaccount:kube-system:"))) {
    return `Blue's own infrastructure role (${subjects.map((v) => v.replace("system:serviceaccount:", "").replace(":", "/")).join(", ")}): no service account on ${greenName} references it; Green's components use their own roles.`;
  }
  return null;
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
  const greenFacts = placementFactsOf(green);
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
    // Computed for the SA even when it does not exist on Green yet (a namespace-wide Fargate profile still takes it).
    const placement = placementOf(greenFacts, a.namespace, a.serviceAccount);
    if (onGreen) skipped.push({ ...copy, reason: `Green maps it to ${onGreen.roleArn} (association ${onGreen.associationId}); file an update request if Blue's role is the right one.` });
    else if (placement.podIdentity === "unsupported") skipped.push({ ...copy, reason: `On ${greenName} it cannot use Pod Identity: ${placement.reasons.join(" ")} Keep it on IRSA there.` });
    else if (a.ownerArn) skipped.push({ ...copy, reason: `Owned by ${a.ownerArn}: install that add-on on Green instead.` });
    else if (scannedAccounts.has(a.roleArn.split(":")[4] ?? "") && !roles.has(a.roleArn)) skipped.push({ ...copy, reason: `Role ${a.roleArn} no longer exists.` });
    else copies.push(copy);
  }
  const repoint: RoleTrustPlan[] = [];
  const repointBlocked: (RoleTrustPlan & { reason: string })[] = [];
  const repointLeftOut: MovePlan["repointLeftOut"] = [];
  if (blue.oidcIssuer && green.oidcIssuer) {
    const greenHost = issuerHost(green.oidcIssuer).toLowerCase();
    const registered = new Set(snapshot.oidcProviders.filter((p) => issuerHost(p.url).toLowerCase() === greenHost).map((p) => p.accountId));
    const exclude = repointFilter(snapshot, blueName, greenName);
    for (const role of snapshot.roles) {
      const from = providerArnFor(role.accountId, blue.oidcIssuer);
      const to = providerArnFor(role.accountId, green.oidcIssuer);
      const reasons = [...new Set(blueStatements(role.trustPolicy, from).filter((st) => needsGreenTwin(role.trustPolicy, st, from, to)).map((st) => exclude(role.arn, st)).filter((r): r is string => r !== null))];
      if (reasons.length) repointLeftOut.push({ roleArn: role.arn, roleName: role.roleName, accountId: role.accountId, reasons });
      const edit = repointTrust(role.trustPolicy, from, to, (st) => exclude(role.arn, st) === null);
      if (!edit.added.length) continue;
      if (registered.has(role.accountId)) repoint.push(rolePlan(role, edit, edit.added));
      else repointBlocked.push({ ...rolePlan(role, edit, edit.added), reason: `Account ${role.accountId} has no IAM OIDC provider for ${issuerHost(green.oidcIssuer)}: register it first (IAM refuses a trust policy naming a missing provider).` });
    }
  }
  return { blue: blueName, green: greenName, accountId: green.accountId, region: green.region, blueIssuer: blue.oidcIssuer, greenIssuer: green.oidcIssuer, copies, skipped, repoint, repointBlocked, repointLeftOut };
}

function blueStatements(trustPolicy: string, blueProviderArn: string): RawStatement[] {
  try {
    return readPolicy(trustPolicy).Statement.filter((st) => trustsProvider(st, blueProviderArn));
  } catch {
    return [];
  }
}

/** (role, Blue statement) -> why it is not re-pointed, or null; from the snapshot's Green service accounts. */
export function repointFilter(snapshot: InventorySnapshot, blueName: string, greenName: string): (roleArn: string, st: RawStatement) => string | null {
  const blue = findCluster(snapshot, blueName);
  const green = findCluster(snapshot, greenName);
  const referenced = new Set((green?.serviceAccounts ?? []).map((sa) => sa.annotations[IRSA_ANNOTATION]).filter(Boolean));
  return (roleArn, st) => (blue?.oidcIssuer ? repointExclusion(st, providerArnFor(roleArn.split(":")[4] ?? "", blue.oidcIssuer), blueName, greenName, referenced.has(roleArn)) : null);
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

/** "a,b" (ROLEGATE_RETIRED_CLUSTERS) -> clusters still running but retired by an operator. */
export const parseRetiredClusters = (text: string | undefined): Set<string> => new Set((text ?? "").split(",").map((s) => s.trim()).filter(Boolean));

/** EKS issuers RoleGate can prove retired (see ./issuers.ts); every other issuer is never a candidate. */
export function retiredIssuers(snapshot: InventorySnapshot, knownClusters: Map<string, string> = new Map(), markedRetired: ReadonlySet<string> = new Set()): RetiredIssuer[] {
  return classifyIssuers(snapshot, knownClusters, markedRetired).retired.map((r) => ({ host: r.issuer, roles: r.roles.length, ...(r.cluster ? { cluster: r.cluster } : {}) }));
}

export interface CleanupPlan {
  host: string;
  roles: RoleTrustPlan[];
  /** Roles the clean-up leaves alone, with the reason (e.g. it would leave the trust policy with no statement). */
  refused: { roleArn: string; roleName: string; reason: string }[];
}

/** Why a trust edit must not be filed, or null. An empty trust policy is never the result of a clean-up: deleting a role is its own, explicit request. */
export function emptyTrustRefusal(edit: TrustEdit, roleName: string): string | null {
  return edit.after.Statement.length === 0
    ? `Removing the issuer would leave ${roleName}'s trust policy with no statement (nobody could assume the role). Deleting or re-purposing the role is a separate, explicit request; it is left unchanged.`
    : null;
}

/**
 * Remove only the retired issuer from every trust policy. Refuses a non-EKS issuer, an issuer of a live
 * cluster, and an issuer whose account/region RoleGate does not fully watch; roles whose trust would end
 * up empty are refused one by one.
 */
export function computeCleanup(snapshot: InventorySnapshot, retiredIssuer: string, markedRetired: ReadonlySet<string> = new Set()): CleanupPlan {
  const host = issuerHost(retiredIssuer);
  const region = eksIssuerRegion(host);
  if (!region) throw new Error(`${host} is not an EKS cluster issuer (oidc.eks.<region>.amazonaws.com/id/<ID>): RoleGate never removes other web-identity providers (GitHub Actions, GitLab, Google, Cognito...) from trust policies.`);
  const live = snapshot.clusters.find((c) => !markedRetired.has(c.name) && c.oidcIssuer && issuerHost(c.oidcIssuer).toLowerCase() === host.toLowerCase());
  if (live) throw new Error(`${host} is the issuer of ${live.name}, which still exists: retire the cluster (delete it and rescan, or list it in ROLEGATE_RETIRED_CLUSTERS) before cleaning up its trust.`);
  const roles: RoleTrustPlan[] = [];
  const refused: CleanupPlan["refused"] = [];
  for (const role of snapshot.roles) {
    const edit = cleanupTrust(role.trustPolicy, providerArnFor(role.accountId, host));
    if (!edit.removed.length && !edit.changed.length) continue;
    const unseen = unseenReason(snapshot, role.accountId, region);
    if (unseen) throw new Error(`${host} is not known to be retired: ${unseen}`);
    const empty = emptyTrustRefusal(edit, role.roleName);
    if (empty) {
      refused.push({ roleArn: role.arn, roleName: role.roleName, reason: empty });
      continue;
    }
    const touched = [...edit.removed, ...edit.changed].map((i) => edit.before.Statement[i]!);
    roles.push(rolePlan(role, edit, touched));
  }
  return { host, roles, refused };
}

export type { IssuerClassification };
