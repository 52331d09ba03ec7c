// The IRSA trust without one service account, on one cluster's issuer. Its exact
// subject is removed from that provider's statements (the migration clean-up's
// edit, lib/migration/trust-edit.ts). A statement that still lets it in through a
// wildcard :sub or no :sub at all (an "open" statement) is tightened: its :sub
// becomes an exact StringEquals list of the subjects in use — the statement's own
// exact subjects, and the cluster's service accounts that reference the role
// (the IRSA annotation) and that the trust lets in today — minus this one; with
// nobody left the statement goes. What the result allows is decided by lib/trust's
// evaluator, not assumed: the SA must be out, every SA that uses the role still in.
import { exactSubjects, subjectOf } from "@/lib/inventory/fixes/irsa-trust";
import { readPolicy, type RawPolicy } from "@/lib/inventory/fixes/policy-json";
import { removeIrsaSubject } from "@/lib/migration/trust-edit";
import { canAssume, extractGrants, grantMatches, hasWildcard, parseTrustPolicy, patternMatches, type IrsaGrant } from "@/lib/trust";

/** A service account of the cluster; `usesRole`: annotated with the role (eks.amazonaws.com/role-arn). */
export interface ClusterSa {
  namespace: string;
  serviceAccount: string;
  usesRole: boolean;
}

export interface IrsaNarrowing {
  policy: RawPolicy;
  /** Statements of the provider that named the SA exactly (edited or dropped). */
  exactEdits: number;
  /** Open statements (index in the trust after the exact removal): the pattern they had and the subjects they keep ([] = dropped). */
  narrowed: { statement: number; was: string; kept: string[] }[];
  /** "ns/sa" the trust lets in today and still will. */
  keeps: string[];
  /** "ns/sa" the trust lets in today through an open statement but that do not reference the role: they lose it. */
  loses: string[];
  /** Why nothing can be filed, or null. */
  problem: string | null;
}

const label = (s: { namespace: string; serviceAccount: string }) => `${s.namespace}/${s.serviceAccount}`;

/** A :sub pattern that matches more than one value (StringLike with * or ?). */
const isOpenPattern = (p: { kind: string; value: string }) => p.kind === "wildcard" && hasWildcard(p.value);

function describe(g: IrsaGrant): string {
  return g.subjects === null ? "no :sub condition (any service account)" : g.subjects.filter(isOpenPattern).map((p) => p.value).join(", ");
}

/**
 * The trust without `target` on `providerArn`'s issuer. `clusterSas`: the cluster's
 * service accounts (latest scan); null when unknown, then only an exact removal can be made.
 */
export function narrowIrsaTrust(trustPolicy: string, providerArn: string, target: { namespace: string; serviceAccount: string }, clusterSas: ClusterSa[] | null): IrsaNarrowing {
  const path = providerArn.split("oidc-provider/")[1] ?? "";
  const providerAccount = providerArn.split(":")[4];
  const query = (s: { namespace: string; serviceAccount: string }) => ({ mechanism: "irsa" as const, issuer: `https://${path}`, namespace: s.namespace, serviceAccount: s.serviceAccount, providerAccount });
  const allows = (doc: string, s: { namespace: string; serviceAccount: string }) => canAssume(doc, query(s)).allowed;
  const none = { policy: readPolicy(trustPolicy), exactEdits: 0, narrowed: [], keeps: [], loses: [] };
  const who = `${label(target)} on ${path}`;
  try {
    if (!allows(trustPolicy, target)) return { ...none, problem: `The trust no longer lets ${who} in: there is nothing to revoke.` };
    const removal = removeIrsaSubject(trustPolicy, providerArn, target.namespace, target.serviceAccount);
    let doc = removal.policy;
    const empty = `Removing ${who} would leave the trust with no statement: deleting the role is a separate, explicit request.`;
    if (doc.Statement.length === 0) return { ...none, exactEdits: removal.edited.length + removal.dropped.length, problem: empty };
    const subject = subjectOf(target.namespace, target.serviceAccount);
    const open = extractGrants(parseTrustPolicy(JSON.stringify(doc))).irsa.filter(
      (g) => g.effect === "Allow" && g.providerPath === path && grantMatches(g, query(target)) && (g.subjects === null || g.subjects.some((p) => isOpenPattern(p) && patternMatches(p, subject))),
    );
    const others = (clusterSas ?? []).filter((s) => label(s) !== label(target) && allows(trustPolicy, s));
    const base = { ...none, exactEdits: removal.edited.length + removal.dropped.length };
    if (open.length && clusterSas === null) return { ...base, problem: `${who} gets in through ${open.map(describe).join("; ")}, and no inventory scan lists the cluster's service accounts to name instead: run a scan, then decide again.` };
    const narrowed: IrsaNarrowing["narrowed"] = [];
    for (const g of open) {
      const st = doc.Statement[g.statementIndex]!;
      const federated = ([] as unknown[]).concat((st.Principal as { Federated?: unknown })?.Federated ?? []);
      if (federated.length > 1) return { ...base, problem: `Statement ${g.statementIndex} trusts ${federated.length} issuers at once with ${describe(g)}: split it into one statement per issuer first (an IAM change), then decide again.` };
      const exact = (g.subjects ?? []).filter((p) => !isOpenPattern(p) && p.value !== subject).map((p) => p.value);
      const inUse = others.filter((s) => s.usesRole && (g.subjects === null || g.subjects.some((p) => patternMatches(p, subjectOf(s.namespace, s.serviceAccount))))).map((s) => subjectOf(s.namespace, s.serviceAccount));
      const kept = [...new Set([...exact, ...inUse])].sort();
      narrowed.push({ statement: g.statementIndex, was: describe(g), kept });
      if (kept.length) doc = exactSubjects(JSON.stringify(doc), g.statementIndex, path, kept);
    }
    const drop = new Set(narrowed.filter((n) => n.kept.length === 0).map((n) => n.statement));
    doc = { ...doc, Statement: doc.Statement.filter((_, i) => !drop.has(i)) };
    const result = { ...base, policy: doc, narrowed };
    if (doc.Statement.length === 0) return { ...result, problem: empty };
    const after = JSON.stringify(doc);
    if (allows(after, target)) return { ...result, problem: `${who} would still get in (the trust has conditions the edit cannot narrow): edit the trust policy by hand with an IAM change.` };
    const keeps = others.filter((s) => allows(after, s)).map(label);
    const loses = others.filter((s) => !allows(after, s));
    const cut = loses.filter((s) => s.usesRole);
    if (cut.length) return { ...result, keeps, loses: loses.map(label), problem: `The edit would also cut off ${cut.map(label).join(", ")}, which use the role: edit the trust policy by hand.` };
    return { ...result, keeps, loses: loses.map(label), problem: null };
  } catch (e) {
    return { ...none, problem: `The trust policy cannot be read: ${(e as Error).message}` };
  }
}
