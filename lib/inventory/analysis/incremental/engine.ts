// Incremental who-can-assume analysis. buildAnalysisIndex() computes what the
// full analysis computes once and keeps it keyed by what it depends on; a delta
// (./delta) then re-evaluates only what it can affect:
//  - a role: its own IRSA edges (the role alone against the SAs of the clusters
//    whose issuers it names), its pattern edges, and the Pod Identity edges of
//    the associations that use it as role or cross-account target;
//  - a service account: its edges against the shared IRSA index, and the
//    pattern edges of the roles it gained or lost;
//  - an association: its own edge; a cluster: its SAs and associations.
// Findings are kept per unit (cluster, role, role x cluster, association, node
// role, OIDC provider); a delta marks the units it touches and findingsOf()
// recomputes those with the same per-unit functions the full analysis runs.
// The result equals analyzeSnapshot() of the same model (tests/analysis/
// incremental.test.ts); edge and finding order is not part of the contract.
import { hasWildcard, normalizeIssuer, parseOidcProviderArn, type TrustGrants } from "@/lib/trust";
import type { InventorySnapshot, SnapshotAssociation, SnapshotCluster, SnapshotOidcProvider, SnapshotRole } from "../../snapshot-types";
import { edgeKey, saRoleMappings } from "../edges";
import { addonMissingForCluster } from "../findings/addon-missing";
import { associationRoleFindingsFor } from "../findings/association-role";
import { bothMechanismsForCluster } from "../findings/both-mechanisms";
import { deletedClusterFindingsForRole, orphanProviderFinding } from "../findings/deleted-cluster-issuer";
import { sortFindings } from "../findings";
import { irsaAnnotationFindingsForCluster } from "../findings/irsa-annotation";
import { irsaSubjectFindingsForRole } from "../findings/irsa-subjects";
import { nodeRoleFindingsFor } from "../findings/node-role";
import { podIdentityTrustFinding } from "../findings/pod-identity-trust";
import { podFindingsForCluster } from "../findings/pods";
import { IRSA_ANNOTATION, isEksIssuerPath, type Finding } from "../findings/types";
import { addRoleToIrsaIndex, buildIrsaIndex, buildIrsaIndexSteps, irsaEdgesForCluster, irsaEdgesForClusterSteps, irsaEdgesForServiceAccounts, irsaPathsOf, patternEdgesForCluster, patternEdgesForClusterSteps, removeRoleFromIrsaIndex, type IrsaIndex } from "../irsa-index";
import { runSteps, runStepsYielding, type Steps } from "../steps";
import type { ClusterRef, Edge, EdgeSet, IndexedRole, IrsaEdge, PatternEdge, PodIdentityEdge } from "../model";
import { podIdentityEdge } from "../pod-identity-edges";
import { indexRole } from "../roles";
import type { SnapshotAnalysis } from "..";
import { diffSnapshots, type AnalysisDelta, type SnapshotServiceAccount } from "./delta";

export interface AnalysisIndex {
  /** The index's own copy of the model; deltas update it. */
  readonly snapshot: InventorySnapshot;
  readonly roles: Map<string, IndexedRole>;
  /** Position of each role in snapshot order (appended roles get higher numbers). */
  roleSeq: Map<string, number>;
  nextSeq: number;
  irsa: IrsaIndex;
  refs: Map<string, ClusterRef>;
  clustersByPath: Map<string, SnapshotCluster[]>;
  irsaEdges: Map<string, IrsaEdge>;
  irsaByRole: Map<string, Set<string>>;
  irsaBySa: Map<string, Set<string>>;
  /** `${roleArn}|${clusterArn}` -> that role's pattern edges on that cluster. */
  patterns: Map<string, PatternEdge[]>;
  patternClusters: Map<string, Set<string>>;
  podIdentity: Map<string, PodIdentityEdge>;
  associations: Map<string, { cluster: SnapshotCluster; a: SnapshotAssociation }>;
  /** Role or cross-account target ARN -> association keys. */
  assocByRole: Map<string, Set<string>>;
  /** Issuer path -> roles with an aud-only or wildcard Allow grant on it (their irsa-subject findings count SAs). */
  broadByPath: Map<string, Set<string>>;
  /** EKS issuer path -> roles whose trust names it (their deleted-cluster findings depend on the cluster set). */
  pathRefs: Map<string, Set<string>>;
  saPos: Map<string, Map<string, number>>;
  units: Map<string, Finding[]>;
  /** Provider ARN -> roles with a stale reference to it (from the role units). */
  staleRefs: Map<string, Set<string>>;
  dirty: Set<string>;
  /** Roles whose annotated SAs' cluster units must be re-run (resolved lazily by findingsOf). */
  annotationRoles: Set<string>;
  findings: Finding[] | null;
}

export interface EdgeChanges {
  added: Edge[];
  removed: Edge[];
  patterns: { added: PatternEdge[]; removed: PatternEdge[] };
}

const saKeyOf = (clusterArn: string, namespace: string, name: string) => `${clusterArn}|${namespace}/${name}`;
const assocKeyOf = (clusterArn: string, id: string) => `${clusterArn}|${id}`;
const pairKey = (roleArn: string, clusterArn: string) => `${roleArn}|${clusterArn}`;

function addTo<V>(map: Map<string, Set<V>>, key: string, v: V): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  s.add(v);
}
function takeFrom<V>(map: Map<string, Set<V>>, key: string, v: V): void {
  const s = map.get(key);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) map.delete(key);
}

const ownCluster = (c: SnapshotCluster): SnapshotCluster => ({ ...c, serviceAccounts: [...c.serviceAccounts], associations: [...c.associations] });
/** A copy of a model whose lists deltas can change without touching the original (deltas replace items, never edit them). */
export const modelCopy = (snapshot: InventorySnapshot): InventorySnapshot => ({ ...snapshot, roles: [...snapshot.roles], oidcProviders: [...snapshot.oidcProviders], clusters: snapshot.clusters.map(ownCluster) });

/** Paths of Allow grants that make irsa-subject findings (no :sub, or a wildcard :sub). */
function broadPaths(grants: TrustGrants | null): string[] {
  if (!grants) return [];
  return grants.irsa.filter((g) => g.effect === "Allow" && (g.subjects === null || g.subjects.some((p) => p.kind === "wildcard" && hasWildcard(p.value)))).map((g) => g.providerPath);
}

/** EKS issuer paths a trust names in a Federated principal. */
function referencedPaths(r: IndexedRole): string[] {
  const out: string[] = [];
  for (const st of r.policy?.statements ?? []) {
    if (st.principal.kind !== "map") continue;
    for (const f of st.principal.federated) {
      const p = parseOidcProviderArn(f);
      if (p && isEksIssuerPath(p.path)) out.push(p.path);
    }
  }
  return out;
}

const nodeRolesOf = (c: SnapshotCluster | undefined) => (c ? [...new Set(c.nodegroups.map((n) => n.nodeRoleArn))] : []);

export function buildAnalysisIndex(snapshot: InventorySnapshot): AnalysisIndex {
  return runSteps(buildAnalysisIndexSteps(snapshot));
}

/** buildAnalysisIndex without holding the event loop for more than `sliceMs` at a time (the web process). */
export function buildAnalysisIndexAsync(snapshot: InventorySnapshot, sliceMs?: number): Promise<AnalysisIndex> {
  return runStepsYielding(buildAnalysisIndexSteps(snapshot), sliceMs);
}

/** buildAnalysisIndex in steps (see ../steps): a role parsed, a service account matched, an association checked. */
export function* buildAnalysisIndexSteps(snapshot: InventorySnapshot): Steps<AnalysisIndex> {
  const own = modelCopy(snapshot);
  const index: AnalysisIndex = {
    snapshot: own, roles: new Map(), roleSeq: new Map(), nextSeq: 0, irsa: { byIssuer: new Map(), inexact: [] }, refs: new Map(), clustersByPath: new Map(),
    irsaEdges: new Map(), irsaByRole: new Map(), irsaBySa: new Map(), patterns: new Map(), patternClusters: new Map(), podIdentity: new Map(),
    associations: new Map(), assocByRole: new Map(), broadByPath: new Map(), pathRefs: new Map(), saPos: new Map(), units: new Map(), staleRefs: new Map(),
    dirty: new Set(), annotationRoles: new Set(), findings: null,
  };
  for (const role of own.roles) {
    yield;
    const r = indexRole(role);
    index.roles.set(role.arn, r);
    index.roleSeq.set(role.arn, index.nextSeq++);
    registerRole(index, r);
  }
  index.irsa = yield* buildIrsaIndexSteps(index.roles.values());
  rebuildClusterMaps(index);
  for (const c of own.clusters) yield* addClusterEdgesSteps(index, c, newChanges());
  for (const arn of index.roles.keys()) index.dirty.add(`role:${arn}`);
  for (const p of own.oidcProviders) index.dirty.add(`provider:${p.arn}`);
  return index;
}

/** The per-role lookups other than the IRSA index (broad grants, referenced issuers). */
function registerRole(index: AnalysisIndex, r: IndexedRole): void {
  for (const p of broadPaths(r.grants)) addTo(index.broadByPath, p, r.role.arn);
  for (const p of referencedPaths(r)) addTo(index.pathRefs, p, r.role.arn);
}
function unregisterRole(index: AnalysisIndex, r: IndexedRole): void {
  for (const p of broadPaths(r.grants)) takeFrom(index.broadByPath, p, r.role.arn);
  for (const p of referencedPaths(r)) takeFrom(index.pathRefs, p, r.role.arn);
}

function rebuildClusterMaps(index: AnalysisIndex): void {
  index.refs.clear();
  index.clustersByPath.clear();
  for (const c of index.snapshot.clusters) {
    const providerPath = c.oidcIssuer ? normalizeIssuer(c.oidcIssuer) : null;
    index.refs.set(c.arn, { cluster: c, providerPath });
    if (providerPath) index.clustersByPath.set(providerPath, [...(index.clustersByPath.get(providerPath) ?? []), c]);
  }
}

const newChanges = (): EdgeChanges => ({ added: [], removed: [], patterns: { added: [], removed: [] } });

function putIrsa(index: AnalysisIndex, e: IrsaEdge, ch: EdgeChanges): void {
  const key = edgeKey(e);
  index.irsaEdges.set(key, e);
  addTo(index.irsaByRole, e.roleArn, key);
  addTo(index.irsaBySa, saKeyOf(e.clusterArn, e.namespace, e.serviceAccount), key);
  ch.added.push(e);
}
function dropIrsa(index: AnalysisIndex, key: string, ch: EdgeChanges): void {
  const e = index.irsaEdges.get(key);
  if (!e) return;
  index.irsaEdges.delete(key);
  takeFrom(index.irsaByRole, e.roleArn, key);
  takeFrom(index.irsaBySa, saKeyOf(e.clusterArn, e.namespace, e.serviceAccount), key);
  ch.removed.push(e);
}

function setPatterns(index: AnalysisIndex, roleArn: string, clusterArn: string, list: PatternEdge[], ch: EdgeChanges): void {
  const key = pairKey(roleArn, clusterArn);
  const old = index.patterns.get(key);
  if (old) ch.patterns.removed.push(...old);
  if (list.length) {
    index.patterns.set(key, list);
    addTo(index.patternClusters, roleArn, clusterArn);
    ch.patterns.added.push(...list);
  } else {
    index.patterns.delete(key);
    takeFrom(index.patternClusters, roleArn, clusterArn);
  }
}

/** A role's IRSA edges on one cluster, in service account order. */
function roleEdgesIn(index: AnalysisIndex, roleArn: string, c: SnapshotCluster): IrsaEdge[] {
  let pos = index.saPos.get(c.arn);
  if (!pos) index.saPos.set(c.arn, (pos = new Map(c.serviceAccounts.map((s, i) => [`${s.namespace}/${s.name}`, i]))));
  const edges = [...(index.irsaByRole.get(roleArn) ?? [])].map((k) => index.irsaEdges.get(k)!).filter((e) => e.clusterArn === c.arn);
  return edges.sort((a, b) => pos.get(`${a.namespace}/${a.serviceAccount}`)! - pos.get(`${b.namespace}/${b.serviceAccount}`)!);
}

function refreshPatterns(index: AnalysisIndex, roleArn: string, clusterArn: string, ch: EdgeChanges): void {
  const r = index.roles.get(roleArn);
  const ref = index.refs.get(clusterArn);
  if (!r || !ref) return setPatterns(index, roleArn, clusterArn, [], ch);
  setPatterns(index, roleArn, clusterArn, patternEdgesForCluster([r], ref, roleEdgesIn(index, roleArn, ref.cluster)), ch);
}

function putAssociation(index: AnalysisIndex, c: SnapshotCluster, a: SnapshotAssociation, ch: EdgeChanges): void {
  const key = assocKeyOf(c.arn, a.associationId);
  const e = podIdentityEdge(index.snapshot, index.roles, c, a);
  index.podIdentity.set(key, e);
  index.associations.set(key, { cluster: c, a });
  addTo(index.assocByRole, a.roleArn, key);
  if (a.targetRoleArn) addTo(index.assocByRole, a.targetRoleArn, key);
  ch.added.push(e);
  markAssociation(index, key, a);
}
function dropAssociation(index: AnalysisIndex, key: string, ch: EdgeChanges): void {
  const held = index.associations.get(key);
  if (!held) return;
  const { a } = held;
  markAssociation(index, key, a);
  ch.removed.push(index.podIdentity.get(key)!);
  index.podIdentity.delete(key);
  index.associations.delete(key);
  takeFrom(index.assocByRole, a.roleArn, key);
  if (a.targetRoleArn) takeFrom(index.assocByRole, a.targetRoleArn, key);
}
/** An association's unit, and those of associations chaining through the same role (their corrected target trust lists every external id). */
function markAssociation(index: AnalysisIndex, key: string, a: SnapshotAssociation): void {
  index.dirty.add(`assoc:${key}`);
  for (const k of index.assocByRole.get(a.roleArn) ?? []) if (index.associations.get(k)?.a.targetRoleArn) index.dirty.add(`assoc:${k}`);
}

function markCluster(index: AnalysisIndex, c: SnapshotCluster): void {
  index.dirty.add(`cluster:${c.arn}`);
  for (const nr of nodeRolesOf(c)) index.dirty.add(`node:${nr}`);
}

function* addClusterEdgesSteps(index: AnalysisIndex, c: SnapshotCluster, ch: EdgeChanges): Steps<void> {
  const ref = index.refs.get(c.arn)!;
  const edges = yield* irsaEdgesForClusterSteps(index.irsa, ref);
  for (let i = 0; i < edges.length; i++) {
    if (i % 1000 === 0) yield;
    putIrsa(index, edges[i]!, ch);
  }
  if (ref.providerPath) {
    const idx = index.irsa.byIssuer.get(ref.providerPath);
    // Pattern edges come from aud-only and wildcard grants of exact policies: the anySa and wildcard entries.
    const roles = new Set<IndexedRole>(idx?.anySa ?? []);
    for (const list of [...(idx?.wildcardByNs.values() ?? []), idx?.wildcardOther ?? []]) for (const w of list) roles.add(w.role);
    const byRole = new Map<string, PatternEdge[]>();
    for (const p of yield* patternEdgesForClusterSteps(roles, ref, edges)) byRole.set(p.roleArn, [...(byRole.get(p.roleArn) ?? []), p]);
    for (const [roleArn, list] of byRole) setPatterns(index, roleArn, c.arn, list, ch);
    for (const roleArn of index.broadByPath.get(ref.providerPath) ?? []) index.dirty.add(`rc:${pairKey(roleArn, c.arn)}`);
  }
  for (const a of c.associations) {
    yield;
    putAssociation(index, c, a, ch);
  }
  markCluster(index, c);
}

function removeClusterEdges(index: AnalysisIndex, c: SnapshotCluster, ch: EdgeChanges): void {
  for (const sa of c.serviceAccounts) for (const k of [...(index.irsaBySa.get(saKeyOf(c.arn, sa.namespace, sa.name)) ?? [])]) dropIrsa(index, k, ch);
  for (const [roleArn, clusters] of [...index.patternClusters]) if (clusters.has(c.arn)) setPatterns(index, roleArn, c.arn, [], ch);
  for (const a of c.associations) dropAssociation(index, assocKeyOf(c.arn, a.associationId), ch);
  const path = index.refs.get(c.arn)?.providerPath;
  if (path) for (const roleArn of index.broadByPath.get(path) ?? []) index.dirty.add(`rc:${pairKey(roleArn, c.arn)}`);
  index.saPos.delete(c.arn);
  markCluster(index, c);
}

/** Removed and added lists, without the items that were removed and re-added unchanged. */
function cancelUnchanged<T>(added: T[], removed: T[]): { added: T[]; removed: T[] } {
  const pending = new Map<string, number>();
  for (const r of removed) {
    const k = JSON.stringify(r);
    pending.set(k, (pending.get(k) ?? 0) + 1);
  }
  const kept: T[] = [];
  const readded = new Map<string, number>();
  for (const x of added) {
    const k = JSON.stringify(x);
    const n = pending.get(k) ?? 0;
    if (n > 0) {
      pending.set(k, n - 1);
      readded.set(k, (readded.get(k) ?? 0) + 1);
    } else kept.push(x);
  }
  const gone = removed.filter((r) => {
    const k = JSON.stringify(r);
    const n = readded.get(k) ?? 0;
    if (n === 0) return true;
    readded.set(k, n - 1);
    return false;
  });
  return { added: kept, removed: gone };
}

const net = (ch: EdgeChanges): EdgeChanges => ({ ...cancelUnchanged(ch.added, ch.removed), patterns: cancelUnchanged(ch.patterns.added, ch.patterns.removed) });

function applyRole(index: AnalysisIndex, roleArn: string, role: SnapshotRole | null, ch: EdgeChanges): void {
  const old = index.roles.get(roleArn);
  const at = index.snapshot.roles.findIndex((r) => r.arn === roleArn);
  let next: IndexedRole | undefined;
  if (role) {
    next = indexRole(role);
    if (at >= 0) index.snapshot.roles[at] = role;
    else index.snapshot.roles.push(role);
    index.roles.set(roleArn, next);
    if (!index.roleSeq.has(roleArn)) index.roleSeq.set(roleArn, index.nextSeq++);
  } else {
    if (at >= 0) index.snapshot.roles.splice(at, 1);
    index.roles.delete(roleArn);
    index.roleSeq.delete(roleArn);
  }
  if (old) {
    removeRoleFromIrsaIndex(index.irsa, old);
    unregisterRole(index, old);
  }
  // IRSA edges: the role alone, on the clusters of the issuers it names.
  for (const k of [...(index.irsaByRole.get(roleArn) ?? [])]) dropIrsa(index, k, ch);
  const touched = new Set(index.patternClusters.get(roleArn) ?? []);
  if (next) {
    addRoleToIrsaIndex(index.irsa, next);
    registerRole(index, next);
    const single = buildIrsaIndex([next]);
    const paths = irsaPathsOf(next);
    const refs = paths === null ? [...index.refs.values()] : [...paths].flatMap((p) => (index.clustersByPath.get(p) ?? []).map((c) => index.refs.get(c.arn)!));
    for (const ref of refs) {
      const edges = irsaEdgesForCluster(single, ref);
      for (const e of edges) putIrsa(index, e, ch);
      if (next.grants?.exact && single.byIssuer.has(ref.providerPath!)) {
        touched.delete(ref.cluster.arn);
        setPatterns(index, roleArn, ref.cluster.arn, patternEdgesForCluster([next], ref, edges), ch);
      }
    }
  }
  for (const clusterArn of touched) setPatterns(index, roleArn, clusterArn, [], ch);
  // Pod Identity edges of the associations using the role or chaining into it.
  for (const k of [...(index.assocByRole.get(roleArn) ?? [])]) {
    const { cluster, a } = index.associations.get(k)!;
    ch.removed.push(index.podIdentity.get(k)!);
    const e = podIdentityEdge(index.snapshot, index.roles, cluster, a);
    index.podIdentity.set(k, e);
    ch.added.push(e);
    index.dirty.add(`assoc:${k}`);
  }
  // Findings.
  index.dirty.add(`role:${roleArn}`);
  for (const r of [old, next]) {
    for (const p of new Set(r?.grants?.irsa.filter((g) => g.effect === "Allow").map((g) => g.providerPath) ?? [])) {
      for (const c of index.clustersByPath.get(p) ?? []) index.dirty.add(`rc:${pairKey(roleArn, c.arn)}`);
    }
  }
  index.annotationRoles.add(roleArn);
  const existenceChanged = !old !== !next;
  for (const c of index.snapshot.clusters) {
    if (nodeRolesOf(c).includes(roleArn)) index.dirty.add(`node:${roleArn}`);
    if (existenceChanged && c.associations.some((a) => a.roleArn === roleArn)) for (const nr of nodeRolesOf(c)) index.dirty.add(`node:${nr}`);
  }
}

function upsertIn<T>(list: T[], item: T, same: (t: T) => boolean): void {
  const at = list.findIndex(same);
  if (at >= 0) list[at] = item;
  else list.push(item);
}
function removeIn<T>(list: T[], same: (t: T) => boolean): void {
  const at = list.findIndex(same);
  if (at >= 0) list.splice(at, 1);
}

function applyServiceAccount(index: AnalysisIndex, clusterArn: string, namespace: string, name: string, sa: SnapshotServiceAccount | null, ch: EdgeChanges): void {
  const ref = index.refs.get(clusterArn);
  if (!ref) return;
  const c = ref.cluster;
  const same = (s: SnapshotServiceAccount) => s.namespace === namespace && s.name === name;
  if (sa) upsertIn(c.serviceAccounts, sa, same);
  else removeIn(c.serviceAccounts, same);
  index.saPos.delete(clusterArn);
  const key = saKeyOf(clusterArn, namespace, name);
  const affected = new Set<string>();
  for (const k of [...(index.irsaBySa.get(key) ?? [])]) {
    affected.add(index.irsaEdges.get(k)!.roleArn);
    dropIrsa(index, k, ch);
  }
  if (sa) {
    for (const e of irsaEdgesForServiceAccounts(index.irsa, ref, [sa])) {
      affected.add(e.roleArn);
      putIrsa(index, e, ch);
    }
  }
  for (const roleArn of affected) if (index.patterns.has(pairKey(roleArn, clusterArn))) refreshPatterns(index, roleArn, clusterArn, ch);
  markCluster(index, c);
  if (ref.providerPath) for (const roleArn of index.broadByPath.get(ref.providerPath) ?? []) index.dirty.add(`rc:${pairKey(roleArn, clusterArn)}`);
}

function applyAssociation(index: AnalysisIndex, clusterArn: string, associationId: string, a: SnapshotAssociation | null, ch: EdgeChanges): void {
  const ref = index.refs.get(clusterArn);
  if (!ref) return;
  const c = ref.cluster;
  const same = (x: SnapshotAssociation) => x.associationId === associationId;
  if (a) upsertIn(c.associations, a, same);
  else removeIn(c.associations, same);
  const key = assocKeyOf(clusterArn, associationId);
  dropAssociation(index, key, ch);
  if (a) putAssociation(index, c, a, ch);
  markCluster(index, c);
}

function applyCluster(index: AnalysisIndex, clusterArn: string, cluster: SnapshotCluster | null, ch: EdgeChanges): void {
  const old = index.refs.get(clusterArn);
  const pathsBefore = new Set(index.clustersByPath.keys());
  if (old) removeClusterEdges(index, old.cluster, ch);
  const same = (c: SnapshotCluster) => c.arn === clusterArn;
  if (cluster) upsertIn(index.snapshot.clusters, ownCluster(cluster), same);
  else removeIn(index.snapshot.clusters, same);
  rebuildClusterMaps(index);
  if (cluster) runSteps(addClusterEdgesSteps(index, index.refs.get(clusterArn)!.cluster, ch));
  // Issuers that appeared or disappeared: deleted-cluster findings of the roles naming them, orphan providers.
  const pathsAfter = new Set(index.clustersByPath.keys());
  for (const p of new Set([...pathsBefore, ...pathsAfter])) {
    if (pathsBefore.has(p) === pathsAfter.has(p)) continue;
    for (const roleArn of index.pathRefs.get(p) ?? []) index.dirty.add(`role:${roleArn}`);
    for (const prov of index.snapshot.oidcProviders) index.dirty.add(`provider:${prov.arn}`);
  }
}

function applyProvider(index: AnalysisIndex, arn: string, provider: SnapshotOidcProvider | null): void {
  const same = (p: SnapshotOidcProvider) => p.arn === arn;
  if (provider) upsertIn(index.snapshot.oidcProviders, provider, same);
  else removeIn(index.snapshot.oidcProviders, same);
  index.dirty.add(`provider:${arn}`);
}

type Handlers = { [K in AnalysisDelta["kind"]]: (index: AnalysisIndex, d: Extract<AnalysisDelta, { kind: K }>, ch: EdgeChanges) => void };
const HANDLERS: Handlers = {
  "role-upsert": (index, d, ch) => applyRole(index, d.role.arn, d.role, ch),
  "role-remove": (index, d, ch) => applyRole(index, d.roleArn, null, ch),
  "service-account-upsert": (index, d, ch) => applyServiceAccount(index, d.clusterArn, d.serviceAccount.namespace, d.serviceAccount.name, d.serviceAccount, ch),
  "service-account-remove": (index, d, ch) => applyServiceAccount(index, d.clusterArn, d.namespace, d.name, null, ch),
  "association-upsert": (index, d, ch) => applyAssociation(index, d.clusterArn, d.association.associationId, d.association, ch),
  "association-remove": (index, d, ch) => applyAssociation(index, d.clusterArn, d.associationId, null, ch),
  "oidc-provider-upsert": (index, d) => applyProvider(index, d.provider.arn, d.provider),
  "oidc-provider-remove": (index, d) => applyProvider(index, d.arn, null),
  "cluster-upsert": (index, d, ch) => applyCluster(index, d.cluster.arn, d.cluster, ch),
  "cluster-remove": (index, d, ch) => applyCluster(index, d.clusterArn, null, ch),
};

/** Applies one change to the index; returns the edges it added and removed (unchanged re-evaluations left out). */
export function applyDelta(index: AnalysisIndex, delta: AnalysisDelta): EdgeChanges {
  const ch = newChanges();
  (HANDLERS[delta.kind] as (index: AnalysisIndex, d: AnalysisDelta, ch: EdgeChanges) => void)(index, delta, ch);
  index.findings = null;
  return net(ch);
}

/** Applies a sequence of deltas; the changes of all of them, netted. */
export function applyDeltas(index: AnalysisIndex, deltas: Iterable<AnalysisDelta>): EdgeChanges {
  const all = newChanges();
  for (const d of deltas) {
    const ch = applyDelta(index, d);
    all.added.push(...ch.added);
    all.removed.push(...ch.removed);
    all.patterns.added.push(...ch.patterns.added);
    all.patterns.removed.push(...ch.patterns.removed);
  }
  return net(all);
}

/**
 * Brings the index to a new scan of the same estate: the deltas between its
 * model and `next`, applied incrementally, or a fresh index when diffSnapshots
 * says only a full analysis will do. Returns the index to keep using.
 */
export function updateAnalysisIndex(index: AnalysisIndex, next: InventorySnapshot): { index: AnalysisIndex; deltas: number | null; changes: EdgeChanges | null } {
  const deltas = diffSnapshots(index.snapshot, next);
  if (!deltas) return { index: buildAnalysisIndex(next), deltas: null, changes: null };
  // Lists that only gain or lose items take next's order first, so recomputed parts read it.
  const nextClusters = new Map(next.clusters.map((c) => [c.arn, c]));
  for (const c of index.snapshot.clusters) {
    const n = nextClusters.get(c.arn);
    if (!n || deltas.some((d) => d.kind === "cluster-upsert" && d.cluster.arn === c.arn)) continue;
    c.serviceAccounts.splice(0, c.serviceAccounts.length, ...n.serviceAccounts);
    c.associations.splice(0, c.associations.length, ...n.associations);
    index.saPos.delete(c.arn);
  }
  const changes = applyDeltas(index, deltas);
  const snap = index.snapshot as { scannedAt: string };
  snap.scannedAt = next.scannedAt;
  reorder(index, next);
  return { index, deltas: deltas.length, changes };
}

/** Items added by deltas were appended; take next's order where it differs (roles, clusters, providers). */
function reorder(index: AnalysisIndex, next: InventorySnapshot): void {
  const s = index.snapshot;
  if (s.roles.some((r, i) => r.arn !== next.roles[i]?.arn)) {
    const byArn = new Map(s.roles.map((r) => [r.arn, r]));
    s.roles.splice(0, s.roles.length, ...next.roles.map((r) => byArn.get(r.arn)!));
    const indexed = new Map(index.roles);
    index.roles.clear();
    index.roleSeq.clear();
    index.nextSeq = 0;
    for (const r of s.roles) {
      index.roles.set(r.arn, indexed.get(r.arn)!);
      index.roleSeq.set(r.arn, index.nextSeq++);
    }
    for (const p of s.oidcProviders) index.dirty.add(`provider:${p.arn}`);
  }
  if (s.clusters.some((c, i) => c.arn !== next.clusters[i]?.arn)) {
    const byArn = new Map(s.clusters.map((c) => [c.arn, c]));
    s.clusters.splice(0, s.clusters.length, ...next.clusters.map((c) => byArn.get(c.arn)!));
    rebuildClusterMaps(index);
    for (const c of s.clusters) for (const nr of nodeRolesOf(c)) index.dirty.add(`node:${nr}`);
  }
  if (s.oidcProviders.some((p, i) => p.arn !== next.oidcProviders[i]?.arn)) s.oidcProviders.splice(0, s.oidcProviders.length, ...next.oidcProviders);
  index.findings = null;
}

export function edgesOf(index: AnalysisIndex): EdgeSet {
  return { irsa: [...index.irsaEdges.values()], podIdentity: [...index.podIdentity.values()], patterns: [...index.patterns.values()].flat() };
}

function computeUnit(index: AnalysisIndex, unit: string): Finding[] {
  const colon = unit.indexOf(":");
  const kind = unit.slice(0, colon);
  const key = unit.slice(colon + 1);
  const ctx = { snapshot: index.snapshot, roles: index.roles, clustersByPath: index.clustersByPath, irsaEdgeKeys: index.irsaEdges };
  switch (kind) {
    case "cluster": {
      const c = index.refs.get(key)?.cluster;
      return c ? [...addonMissingForCluster(c), ...bothMechanismsForCluster(c), ...podFindingsForCluster(c), ...irsaAnnotationFindingsForCluster(ctx, c)] : [];
    }
    case "role": {
      const r = index.roles.get(key);
      return r ? deletedClusterFindingsForRole(ctx, r) : [];
    }
    case "provider": {
      const p = index.snapshot.oidcProviders.find((x) => x.arn === key);
      const roles = [...(index.staleRefs.get(key) ?? [])].sort((a, b) => index.roleSeq.get(a)! - index.roleSeq.get(b)!);
      const f = p && orphanProviderFinding(ctx, p, roles);
      return f ? [f] : [];
    }
    case "rc": {
      const [roleArn, clusterArn] = key.split("|") as [string, string];
      const r = index.roles.get(roleArn);
      return r && index.refs.has(clusterArn) ? irsaSubjectFindingsForRole(ctx, r, clusterArn) : [];
    }
    case "node":
      return nodeRoleFindingsFor(ctx, key);
    case "assoc": {
      const e = index.podIdentity.get(key);
      if (!e) return [];
      const sameRole = [...(index.assocByRole.get(e.roleArn) ?? [])].map((k) => index.associations.get(k)!.a);
      const f = podIdentityTrustFinding(ctx, e);
      return [...(f ? [f] : []), ...associationRoleFindingsFor(ctx, e, sameRole)];
    }
  }
  throw new Error(`unknown finding unit ${unit}`);
}

// A fix's document and diff are the same text for every mapping of a role (at 100,000 associations: 64 M
// characters over 33,000 findings, 1 M of them distinct): each distinct text is kept once per index.
const fixTexts = new WeakMap<AnalysisIndex, Map<string, string>>();

function setUnit(index: AnalysisIndex, unit: string, found: Finding[]): void {
  let texts = fixTexts.get(index);
  if (!texts) fixTexts.set(index, (texts = new Map()));
  const intern = (s: string) => texts.get(s) ?? (texts.set(s, s), s);
  for (const f of found) {
    if (f.fix?.json) f.fix.json = intern(f.fix.json);
    if (f.fix?.diff) f.fix.diff = intern(f.fix.diff);
  }
  if (found.length) index.units.set(unit, found);
  else index.units.delete(unit);
}

/** The findings of the current model, re-running only the units deltas touched since the last call. */
export function findingsOf(index: AnalysisIndex): Finding[] {
  return runSteps(findingsOfSteps(index));
}

/** findingsOf without holding the event loop for more than `sliceMs` at a time (the first call runs every unit). */
export function findingsOfAsync(index: AnalysisIndex, sliceMs?: number): Promise<Finding[]> {
  return runStepsYielding(findingsOfSteps(index), sliceMs);
}

/** findingsOf one unit per step. */
export function* findingsOfSteps(index: AnalysisIndex): Steps<Finding[]> {
  if (index.findings) return index.findings;
  if (index.annotationRoles.size) {
    for (const c of index.snapshot.clusters) {
      if (c.serviceAccounts.some((sa) => index.annotationRoles.has(sa.annotations[IRSA_ANNOTATION]!))) index.dirty.add(`cluster:${c.arn}`);
    }
    index.annotationRoles.clear();
  }
  // Role units first: they say which providers each role references stale.
  for (const unit of [...index.dirty].filter((u) => u.startsWith("role:"))) {
    yield;
    const roleArn = unit.slice("role:".length);
    for (const f of index.units.get(unit) ?? []) {
      takeFrom(index.staleRefs, f.oidcProviderArn!, roleArn);
      index.dirty.add(`provider:${f.oidcProviderArn}`);
    }
    const found = computeUnit(index, unit);
    for (const f of found) {
      addTo(index.staleRefs, f.oidcProviderArn!, roleArn);
      index.dirty.add(`provider:${f.oidcProviderArn}`);
    }
    setUnit(index, unit, found);
    index.dirty.delete(unit);
  }
  for (const unit of [...index.dirty]) {
    yield;
    setUnit(index, unit, computeUnit(index, unit));
    index.dirty.delete(unit);
  }
  const all: Finding[] = [];
  for (const list of index.units.values()) for (const f of list) all.push(f);
  const sorted = sortFindings(all);
  // A delta applied while findingsOfAsync yielded leaves units dirty: then this result is not cached.
  if (index.dirty.size === 0 && index.annotationRoles.size === 0) index.findings = sorted;
  return sorted;
}

/** What analyzeSnapshot() returns, from the index. */
export function analysisOf(index: AnalysisIndex): SnapshotAnalysis {
  const edges = edgesOf(index);
  return { edges, mappings: saRoleMappings(edges), findings: findingsOf(index) };
}
