// Tighter Pod Identity trust: a role whose trust lets pods.eks.amazonaws.com in
// without any condition can be used by EVERY association of the account. The
// tightened document keeps every statement as written and adds, to each such
// open Allow, conditions naming what actually uses the role: the clusters'
// accounts (aws:SourceAccount) and ARNs (aws:SourceArn), and the namespaces and
// service accounts (aws:RequestTag/kubernetes-namespace / -service-account).
// Its impact on each association is decided by this module's own evaluator
// (canAssume), not guessed.
import { actionCovered } from "./evaluate";
import { parseTrustPolicy } from "./parse";
import { ASSUME_ROLE, PODS_SERVICE } from "./requests";
import { canAssume } from "./can-assume";
import type { PolicyStatement, TrustPolicy } from "./types";

/** One association that names the role. */
export interface TrustUse {
  clusterArn: string;
  namespace: string;
  serviceAccount: string;
  /** false when the association sets disableSessionTags: it sends no aws:RequestTag keys. */
  sessionTags: boolean;
}

export interface UseImpact extends TrustUse {
  /** keeps: allowed before and after; breaks: allowed before, refused after; already-refused: refused before too. */
  outcome: "keeps" | "breaks" | "already-refused";
  reason: string;
}

type RawStatement = Record<string, unknown> & { Principal?: unknown; Condition?: unknown };

/** Allow statements that trust pods.eks.amazonaws.com for sts:AssumeRole with no condition at all. */
export function openPodIdentityStatements(policy: TrustPolicy): PolicyStatement[] {
  return policy.statements.filter(
    (s) =>
      s.effect === "Allow" &&
      !s.principalNegated &&
      s.principal.kind === "map" &&
      s.principal.service.includes(PODS_SERVICE) &&
      !s.actionNegated &&
      actionCovered(s, ASSUME_ROLE) &&
      s.conditions.length === 0,
  );
}

const one = (values: string[]): string | string[] => (values.length === 1 ? values[0]! : values);
const distinct = (values: string[]) => [...new Set(values)].sort();

/** The conditions the tightened statements carry, from the associations that use the role. */
export function tightConditions(uses: TrustUse[]): Record<string, Record<string, string | string[]>> {
  const accounts = distinct(uses.map((u) => u.clusterArn.split(":")[4]!));
  return {
    StringEquals: {
      "aws:SourceAccount": one(accounts),
      "aws:SourceArn": one(distinct(uses.map((u) => u.clusterArn))),
      "aws:RequestTag/kubernetes-namespace": one(distinct(uses.map((u) => u.namespace))),
      "aws:RequestTag/kubernetes-service-account": one(distinct(uses.map((u) => u.serviceAccount))),
    },
  };
}

/**
 * The tightened trust document, or null when the role has no open Pod Identity
 * statement or nothing uses it (no cluster to name). A statement that also
 * trusts other principals keeps them unconditioned; Pod Identity moves to a
 * statement of its own with the conditions.
 */
export function tightenTrust(document: string, uses: TrustUse[]): { Version: string; Statement: RawStatement[] } | null {
  const parsed = parseTrustPolicy(document);
  const open = new Set(openPodIdentityStatements(parsed).map((s) => s.index));
  if (!open.size || !uses.length) return null;
  const doc = JSON.parse(document) as { Version?: string; Statement?: RawStatement | RawStatement[] };
  const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const Condition = tightConditions(uses);
  const out: RawStatement[] = [];
  raw.forEach((st, index) => {
    if (!open.has(index)) return void out.push(st);
    const principal = st.Principal as Record<string, unknown>;
    const services = ([] as unknown[]).concat(principal.Service ?? []) as string[];
    const others = { ...principal, Service: services.filter((s) => s !== PODS_SERVICE) };
    if (!others.Service.length) delete (others as { Service?: unknown }).Service;
    if (Object.keys(others).length) out.push({ ...st, Principal: { ...others, ...(others.Service ? { Service: one(others.Service) } : {}) } });
    out.push({ ...st, Principal: { Service: PODS_SERVICE }, Condition });
  });
  return { Version: doc.Version ?? "2012-10-17", Statement: out };
}

function allowed(document: string, use: TrustUse) {
  return canAssume(document, { mechanism: "pod-identity", namespace: use.namespace, serviceAccount: use.serviceAccount, clusterArn: use.clusterArn, sessionTags: use.sessionTags });
}

/** Each association under the current and the tightened trust, by the trust evaluator. */
export function tighteningImpact(current: string, tightened: string, uses: TrustUse[]): UseImpact[] {
  return uses.map((use) => {
    const before = allowed(current, use);
    if (!before.allowed) return { ...use, outcome: "already-refused", reason: `refused today: ${before.reason}` };
    const after = allowed(tightened, use);
    if (after.allowed) return { ...use, outcome: "keeps", reason: "the tightened trust still allows it" };
    const why = use.sessionTags ? after.reason : `session tags are disabled on this association (disableSessionTags=true), so it sends no aws:RequestTag keys and the namespace/service-account conditions refuse it`;
    return { ...use, outcome: "breaks", reason: why };
  });
}
