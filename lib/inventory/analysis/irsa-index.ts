// IRSA edges by lookup instead of role x SA evaluation. Allow grants of exact
// policies are indexed per issuer: exact subjects in a Map, wildcard subjects
// grouped per issuer (and per namespace when the pattern fixes one), grants
// without :sub as "any SA of the cluster". Candidates are confirmed with
// irsaDecision (explicit Denies); inexact policies fall back to evaluateTrust.
import {
  actionCovered,
  DEFAULT_AUDIENCE,
  IRSA_ACTION,
  parseOidcProviderArn,
  evaluateTrust,
  compileWildcard,
  hasWildcard,
  irsaDecision,
  irsaRequest,
  patternMatches,
  serviceAccountSubject,
  type CompiledWildcard,
  type IrsaGrant,
  type TrustRequest,
  type ValuePattern,
} from "@/lib/trust";
import type { ClusterRef, IndexedRole, IrsaEdge, PatternEdge } from "./model";
import { runSteps, type Steps } from "./steps";

interface WildcardEntry {
  role: IndexedRole;
  match: CompiledWildcard;
}

/**
 * StringLike :sub pattern, compiled once per grant (the index tests it against
 * every service account) with lib/trust's linear matcher: the same semantics
 * as the full evaluator, and no backtracking RegExp a hostile pattern can stall.
 */
const compileSubject = (pattern: string) => compileWildcard(pattern, { policyEscapes: true });

interface IssuerIndex {
  exact: Map<string, Set<IndexedRole>>;
  /** Lower-cased subject -> roles, for StringEqualsIgnoreCase. */
  exactIgnoreCase: Map<string, Set<IndexedRole>>;
  /** Wildcards whose namespace part is literal, by namespace. */
  wildcardByNs: Map<string, WildcardEntry[]>;
  wildcardOther: WildcardEntry[];
  anySa: Set<IndexedRole>;
}

const PREFIX = "system:serviceaccount:";

const newIssuerIndex = (): IssuerIndex => ({
  exact: new Map(),
  exactIgnoreCase: new Map(),
  wildcardByNs: new Map(),
  wildcardOther: [],
  anySa: new Set(),
});

function addTo<K, V>(map: Map<K, Set<V>>, key: K, v: V): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  s.add(v);
}

/** Namespace a StringLike :sub pattern is confined to, if its namespace part has no wildcard. */
export function patternNamespace(pattern: string): string | null {
  if (!pattern.startsWith(PREFIX)) return null;
  const rest = pattern.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon < 0) return null;
  const ns = rest.slice(0, colon);
  return hasWildcard(ns) || ns.includes("$") ? null : ns;
}

const audienceOk = (g: IrsaGrant) => !g.audiences || g.audiences.some((p) => patternMatches(p, DEFAULT_AUDIENCE));

export interface InexactRole {
  role: IndexedRole;
  /** Issuer paths an Allow statement names; null = any issuer could match (NotPrincipal, "*"). */
  paths: Set<string> | null;
}

export interface IrsaIndex {
  byIssuer: Map<string, IssuerIndex>;
  /** Roles whose trust the grant model cannot express: evaluated for every SA of the issuers they name. */
  inexact: InexactRole[];
}

/** Only Allow statements can create an edge, so only the issuers they name (or all, for NotPrincipal / "*") matter. */
function allowPaths(r: IndexedRole): Set<string> | null {
  const paths = new Set<string>();
  for (const st of r.policy!.statements) {
    if (st.effect !== "Allow" || !actionCovered(st, IRSA_ACTION)) continue;
    if (st.principalNegated || st.principal.kind === "any" || st.principal.aws.includes("*")) return null;
    for (const f of st.principal.federated) {
      const p = parseOidcProviderArn(f);
      if (p) paths.add(p.path);
    }
  }
  return paths;
}

export function buildIrsaIndex(roles: Iterable<IndexedRole>): IrsaIndex {
  return runSteps(buildIrsaIndexSteps(roles));
}

export function* buildIrsaIndexSteps(roles: Iterable<IndexedRole>): Steps<IrsaIndex> {
  const index: IrsaIndex = { byIssuer: new Map(), inexact: [] };
  for (const r of roles) {
    yield;
    addRoleToIrsaIndex(index, r);
  }
  return index;
}

/** Allow grants the index keys on (the same filter for adding and removing a role). */
const indexedGrants = (r: IndexedRole) =>
  // A grant naming a provider in another account never matches: STS uses the role's own account's provider.
  r.grants!.irsa.filter((g) => g.effect === "Allow" && audienceOk(g) && g.providerAccount === r.role.accountId);

/** Where one :sub value of a grant goes in an issuer's index. */
function subjectSlot(p: ValuePattern): { map: "exact" | "exactIgnoreCase"; key: string } | { wildcardNs: string | null } {
  // A StringLike value without wildcards or escapes is an exact subject.
  const literal = p.kind === "wildcard" && !hasWildcard(p.value) && !p.value.includes("${");
  if (literal) return { map: "exact", key: p.value };
  if (p.kind === "exact") return p.ignoreCase ? { map: "exactIgnoreCase", key: p.value.toLowerCase() } : { map: "exact", key: p.value };
  return { wildcardNs: patternNamespace(p.value) };
}

/** Adds one role (an incremental analysis adds a changed role back after removeRoleFromIrsaIndex). */
export function addRoleToIrsaIndex(index: IrsaIndex, r: IndexedRole): void {
  if (!r.grants || !r.policy) return;
  if (!r.grants.exact) {
    index.inexact.push({ role: r, paths: allowPaths(r) });
    return;
  }
  for (const g of indexedGrants(r)) {
    let idx = index.byIssuer.get(g.providerPath);
    if (!idx) index.byIssuer.set(g.providerPath, (idx = newIssuerIndex()));
    if (!g.subjects) {
      idx.anySa.add(r);
      continue;
    }
    for (const p of g.subjects) {
      const slot = subjectSlot(p);
      if ("map" in slot) addTo(idx[slot.map], slot.key, r);
      else {
        const entry = { role: r, match: compileSubject(p.value) };
        if (slot.wildcardNs === null) idx.wildcardOther.push(entry);
        else {
          const list = idx.wildcardByNs.get(slot.wildcardNs) ?? [];
          list.push(entry);
          idx.wildcardByNs.set(slot.wildcardNs, list);
        }
      }
    }
  }
}

/** Takes out exactly what addRoleToIrsaIndex(index, r) put in (same IndexedRole object). */
export function removeRoleFromIrsaIndex(index: IrsaIndex, r: IndexedRole): void {
  if (!r.grants || !r.policy) return;
  if (!r.grants.exact) {
    index.inexact = index.inexact.filter((x) => x.role !== r);
    return;
  }
  for (const g of indexedGrants(r)) {
    const idx = index.byIssuer.get(g.providerPath);
    if (!idx) continue;
    idx.anySa.delete(r);
    for (const p of g.subjects ?? []) {
      const slot = subjectSlot(p);
      if ("map" in slot) {
        const set = idx[slot.map].get(slot.key);
        set?.delete(r);
        if (set?.size === 0) idx[slot.map].delete(slot.key);
      } else if (slot.wildcardNs === null) idx.wildcardOther = idx.wildcardOther.filter((w) => w.role !== r);
      else {
        const list = (idx.wildcardByNs.get(slot.wildcardNs) ?? []).filter((w) => w.role !== r);
        if (list.length) idx.wildcardByNs.set(slot.wildcardNs, list);
        else idx.wildcardByNs.delete(slot.wildcardNs);
      }
    }
  }
}

/** Issuer paths on which a role can have IRSA edges (null: any issuer, for inexact policies naming no issuer). */
export function irsaPathsOf(r: IndexedRole): Set<string> | null {
  if (!r.grants || !r.policy) return new Set();
  if (!r.grants.exact) return allowPaths(r);
  return new Set(indexedGrants(r).map((g) => g.providerPath));
}

type Via = IrsaEdge["via"];

const denyCache = new WeakMap<IndexedRole, boolean>();
function hasDeny(r: IndexedRole): boolean {
  let v = denyCache.get(r);
  if (v === undefined) denyCache.set(r, (v = r.grants!.irsa.some((g) => g.effect === "Deny")));
  return v;
}

/** Every IRSA edge of one cluster's existing service accounts. */
export function irsaEdgesForCluster(index: IrsaIndex, ref: ClusterRef): IrsaEdge[] {
  return runSteps(irsaEdgesForClusterSteps(index, ref));
}

/** irsaEdgesForCluster one service account per step. */
export function* irsaEdgesForClusterSteps(index: IrsaIndex, ref: ClusterRef): Steps<IrsaEdge[]> {
  const out: IrsaEdge[] = [];
  const match = irsaMatcher(index, ref);
  if (!match) return out;
  for (const sa of ref.cluster.serviceAccounts) {
    yield;
    match(sa, out);
  }
  return out;
}

/** IRSA edges of some service accounts of one cluster (an incremental analysis: the SAs that changed). */
export function irsaEdgesForServiceAccounts(index: IrsaIndex, ref: ClusterRef, sas: Iterable<ServiceAccount>): IrsaEdge[] {
  const out: IrsaEdge[] = [];
  const match = irsaMatcher(index, ref);
  if (match) for (const sa of sas) match(sa, out);
  return out;
}

type ServiceAccount = ClusterRef["cluster"]["serviceAccounts"][number];

/** Appends one service account's IRSA edges to `out`; null when the cluster has no issuer. */
function irsaMatcher(index: IrsaIndex, ref: ClusterRef): ((sa: ServiceAccount, out: IrsaEdge[]) => void) | null {
  const { cluster, providerPath } = ref;
  if (!providerPath || !cluster.oidcIssuer) return null;
  const issuer = cluster.oidcIssuer;
  const idx = index.byIssuer.get(providerPath);
  const inexact = index.inexact.filter((x) => x.paths === null || x.paths.has(providerPath));
  return (sa, out) => {
    const sub = serviceAccountSubject(sa.namespace, sa.name);
    const candidates = new Map<IndexedRole, Via>();
    const add = (r: IndexedRole, via: Via) => {
      if (!candidates.has(r)) candidates.set(r, via);
    };
    if (idx) {
      idx.exact.get(sub)?.forEach((r) => add(r, "exact"));
      idx.exactIgnoreCase.get(sub.toLowerCase())?.forEach((r) => add(r, "exact"));
      for (const list of [idx.wildcardByNs.get(sa.namespace) ?? [], idx.wildcardOther]) {
        for (const w of list) if (!candidates.has(w.role) && w.match.test(sub)) add(w.role, "wildcard");
      }
      idx.anySa.forEach((r) => add(r, "any-sa"));
    }
    const base = { mechanism: "irsa" as const, clusterArn: cluster.arn, cluster: cluster.name, namespace: sa.namespace, serviceAccount: sa.name };
    for (const [r, via] of candidates) {
      // A matching Allow grant decides alone unless the role also has IRSA Deny grants.
      const q = { issuer, namespace: sa.namespace, serviceAccount: sa.name, providerAccount: r.role.accountId };
      if (!hasDeny(r) || irsaDecision(r.grants!, q)) out.push({ ...base, roleArn: r.role.arn, via });
    }
    const requests = new Map<string, TrustRequest>();
    for (const { role: r } of inexact) {
      const account = r.role.accountId;
      let req = requests.get(account);
      if (!req) requests.set(account, (req = irsaRequest({ mechanism: "irsa", issuer, namespace: sa.namespace, serviceAccount: sa.name, providerAccount: account })));
      if (evaluateTrust(r.policy!, req).allowed) out.push({ ...base, roleArn: r.role.arn, via: "evaluated" });
    }
  };
}

function patternLabel(pattern: string | null, ns: string | null, cluster: string): string {
  if (pattern === null) return `any SA of ${cluster}`;
  if (ns !== null && pattern === `${PREFIX}${ns}:*`) return `any SA in ${ns}`;
  if (pattern === `${PREFIX}*` || pattern === "*") return `any SA of ${cluster}`;
  return `SAs matching ${pattern.startsWith(PREFIX) ? pattern.slice(PREFIX.length) : pattern}`;
}

/** Pattern edges (wildcard or no :sub) of exact policies, with the existing SAs each one lets in. */
export function patternEdgesForCluster(roles: Iterable<IndexedRole>, ref: ClusterRef, irsaEdges: IrsaEdge[]): PatternEdge[] {
  return runSteps(patternEdgesForClusterSteps(roles, ref, irsaEdges));
}

/** patternEdgesForCluster one role per step. */
export function* patternEdgesForClusterSteps(roles: Iterable<IndexedRole>, ref: ClusterRef, irsaEdges: IrsaEdge[]): Steps<PatternEdge[]> {
  if (!ref.providerPath) return [];
  const edgesOf = new Map<string, IrsaEdge[]>();
  for (const e of irsaEdges) {
    const list = edgesOf.get(e.roleArn);
    if (list) list.push(e);
    else edgesOf.set(e.roleArn, [e]);
  }
  const out: PatternEdge[] = [];
  for (const r of roles) {
    yield;
    if (!r.grants?.exact) continue;
    for (const g of r.grants.irsa) {
      if (g.effect !== "Allow" || g.providerPath !== ref.providerPath || !audienceOk(g) || g.providerAccount !== r.role.accountId) continue;
      const patterns = g.subjects === null ? [null] : g.subjects.filter((p) => p.kind === "wildcard" && hasWildcard(p.value)).map((p) => p.value);
      for (const pattern of patterns) {
        const ns = pattern === null ? null : patternNamespace(pattern);
        const match = pattern === null ? null : compileSubject(pattern);
        // Existing SAs the role really admits (Denies applied) that this pattern covers.
        const matches = (edgesOf.get(r.role.arn) ?? [])
          .filter((e) => !match || match.test(serviceAccountSubject(e.namespace, e.serviceAccount)))
          .map((e) => `${e.namespace}/${e.serviceAccount}`);
        out.push({ clusterArn: ref.cluster.arn, cluster: ref.cluster.name, roleArn: r.role.arn, pattern, namespace: ns, label: patternLabel(pattern, ns, ref.cluster.name), matches });
      }
    }
  }
  return out;
}
