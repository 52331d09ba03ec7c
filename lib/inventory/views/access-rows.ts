// Per service account -> role rows for /mappings: how the SA reaches the role
// (IRSA, Pod Identity or both) and the findings about that pair (pure).
import { z } from "zod";
import type { Finding, SaRoleMapping, Severity, SnapshotAnalysis } from "../analysis";
import { placementsByCluster } from "../placement/snapshot";
import type { InventorySnapshot } from "../snapshot-types";
import { SEVERITIES, SEVERITY_RANK, allOf, contains, filterSortedAndPage, pagingFields, type Page } from "./paging";
import { groupBy } from "@/lib/util/group-by";
import { flat, objectInterner } from "@/lib/util/intern";

export type AccessMechanism = "irsa" | "pod-identity" | "both";

export interface AccessRow {
  key: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  mechanism: AccessMechanism;
  /** false when the pair is only known from a finding (e.g. an association whose role denies it). */
  effective: boolean;
  irsaVia?: string;
  associationId?: string;
  findings: Finding[];
  /** Highest severity among findings, or null. */
  severity: Severity | null;
  /** Where the SA's pods run ("nodes ip-… · Fargate (fp-batch)") and whether Pod Identity works there; absent without a snapshot. */
  placement?: { summary: string; podIdentity: "supported" | "unsupported" | "unknown" };
}

const NO_FINDINGS = Object.freeze([]) as unknown as Finding[];
const pairKey = (cluster?: string, ns?: string, sa?: string, role?: string) => `${cluster}|${ns}|${sa}|${role}`;
const rank = (s: Severity) => SEVERITY_RANK[s] ?? 9;
const worst = (fs: Finding[]): Severity | null => fs.reduce<Severity | null>((w, f) => (w === null || rank(f.severity) < rank(w) ? f.severity : w), null);

function fromMapping(m: SaRoleMapping): AccessRow {
  const effective = m.irsa !== undefined || (m.podIdentity?.allowed ?? false);
  return {
    key: flat(pairKey(m.cluster, m.namespace, m.serviceAccount, m.roleArn)),
    cluster: m.cluster,
    namespace: m.namespace,
    serviceAccount: m.serviceAccount,
    roleArn: m.roleArn,
    mechanism: m.mechanism,
    effective,
    irsaVia: m.irsa?.via,
    associationId: m.podIdentity?.associationId,
    findings: [],
    severity: null,
  };
}

/** One row per (cluster, namespace, SA, role) with its findings; findings about an SA+role with no edge get a row of their own. */
/** `placements`: the snapshot's (placementsByCluster), when the caller has them already. */
export function buildAccessRows(analysis: SnapshotAnalysis, snapshot?: InventorySnapshot, placements = snapshot && placementsByCluster(snapshot)): AccessRow[] {
  const rows = new Map<string, AccessRow>();
  for (const m of analysis.mappings) rows.set(pairKey(m.cluster, m.namespace, m.serviceAccount, m.roleArn), fromMapping(m));
  const bySa = new Map<string, AccessRow[]>();
  for (const r of rows.values()) {
    const k = pairKey(r.cluster, r.namespace, r.serviceAccount);
    bySa.set(k, [...(bySa.get(k) ?? []), r]);
  }
  for (const f of analysis.findings) {
    if (!f.cluster || !f.namespace || !f.serviceAccount) continue;
    if (!f.roleArn) {
      for (const r of bySa.get(pairKey(f.cluster, f.namespace, f.serviceAccount)) ?? []) r.findings.push(f);
      continue;
    }
    const k = pairKey(f.cluster, f.namespace, f.serviceAccount, f.roleArn);
    let row = rows.get(k);
    if (!row) {
      const mechanism: AccessMechanism = f.associationId || f.kind.startsWith("pod-") || f.kind.startsWith("association") ? "pod-identity" : "irsa";
      row = { key: flat(k), cluster: f.cluster, namespace: f.namespace, serviceAccount: f.serviceAccount, roleArn: f.roleArn, mechanism, effective: false, associationId: f.associationId, findings: [], severity: null };
      rows.set(k, row);
    }
    if (!row.findings.some((x) => x.id === f.id)) row.findings.push(f);
  }
  for (const r of rows.values()) {
    r.severity = worst(r.findings);
    // Most rows have no finding: one shared (frozen) empty list instead of 100,000 of them in a kept view.
    if (!r.findings.length) r.findings = NO_FINDINGS;
  }
  if (placements) {
    const byName = new Map([...placements].map(([c, ps]) => [c.name, ps]));
    // One object per distinct placement (rows never mutate it): equal ones are many in a kept view.
    const shared = objectInterner<NonNullable<AccessRow["placement"]>>((p) => `${p.podIdentity}|${p.summary}`);
    for (const r of rows.values()) {
      const p = byName.get(r.cluster)?.get(`${r.namespace}/${r.serviceAccount}`);
      if (p) r.placement = shared({ summary: p.summary, podIdentity: p.podIdentity });
    }
  }
  return [...rows.values()];
}

export const ACCESS_SORTS = ["cluster", "namespace", "serviceAccount", "role", "mechanism", "severity"] as const;

const accessQueryFields = z.object({
  cluster: z.string().trim().max(100).optional().catch(undefined),
  namespace: z.string().trim().max(253).optional().catch(undefined),
  mechanism: z.enum(["irsa", "pod-identity", "both"]).optional().catch(undefined),
  /** Older links name the finding kind apart; it folds into `findings` below. */
  kind: z.string().trim().max(80).regex(/^[a-z-]+$/).optional().catch(undefined),
  severity: z.enum(SEVERITIES).optional().catch(undefined),
  /** "any": only rows with findings; "none": only rows without; a finding kind: only rows with a finding of that kind. */
  findings: z.string().trim().max(80).regex(/^[a-z-]+$/).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(ACCESS_SORTS).catch("cluster"),
  ...pagingFields,
});

/** One "Findings" filter, not two side by side: yes/no and the kind share the `findings` parameter. */
export const accessQuerySchema = accessQueryFields.transform(({ kind, ...q }): AccessQuery => ({ ...q, findings: q.findings ?? kind }));
export type AccessQuery = Omit<z.infer<typeof accessQueryFields>, "kind">;

function matchesFindings(r: AccessRow, findings: string | undefined): boolean {
  if (!findings) return true;
  if (findings === "any") return r.findings.length > 0;
  if (findings === "none") return r.findings.length === 0;
  return r.findings.some((f) => f.kind === findings);
}

function filterAccessRows(rows: readonly AccessRow[], q: AccessQuery): readonly AccessRow[] {
  const { among, by } = candidates(rows, q);
  const keep = accessFilter(q, by);
  return keep ? among.filter(keep) : among;
}

/**
 * The query's filter, from its active fields only (null: none, every row): a page filters 100,000 rows per request.
 * `indexedBy`: the field whose index gave the candidates; every candidate matches it, so it is not checked again
 * (the 33,000 rows with a high finding were each searched for one on every `?severity=high` load).
 */
function accessFilter(q: AccessQuery, indexedBy: IndexedField | null): ((r: AccessRow) => boolean) | null {
  const { cluster, namespace, mechanism, severity, findings } = q;
  const unless = (field: IndexedField, value: string | undefined) => (indexedBy === field ? undefined : value);
  return allOf<AccessRow>([
    unless("cluster", cluster) && ((r) => r.cluster === cluster),
    namespace && ((r) => r.namespace === namespace),
    mechanism && ((r) => r.mechanism === mechanism),
    unless("severity", severity) && ((r) => r.findings.some((f) => f.severity === severity)),
    unless("findings", findings) && ((r) => matchesFindings(r, findings)),
    q.q && ((r) => contains(q.q, r.serviceAccount, r.namespace, r.roleArn)),
  ]);
}

const SORT_KEYS: Record<AccessQuery["sort"], (r: AccessRow) => string | number> = {
  cluster: (r) => r.cluster,
  namespace: (r) => r.namespace,
  serviceAccount: (r) => r.serviceAccount,
  role: (r) => r.roleArn.split("/").pop() ?? r.roleArn,
  mechanism: (r) => r.mechanism,
  severity: (r) => (r.severity ? rank(r.severity) : 9),
};

const ACCESS_TIES = [(r: AccessRow) => r.cluster, (r: AccessRow) => r.namespace, (r: AccessRow) => r.serviceAccount, (r: AccessRow) => r.roleArn];

/** How many rows the query lists (its page's `total`), without sorting: the overview counts with it. */
export function countAccessRows(rows: readonly AccessRow[], q: AccessQuery): number {
  return filterAccessRows(rows, q).length;
}

// Per rows array (a view's rows never change): its rows by cluster, by severity of a finding and by finding
// kind, each in the rows' order, so a filtered page looks only at rows that can match, not at every row of
// the fleet. Built on first use, per index.
type RowIndex = Map<string, readonly AccessRow[]>;
const indexes = new WeakMap<readonly AccessRow[], Map<string, RowIndex>>();
const NO_ROWS: readonly AccessRow[] = Object.freeze([]);
type IndexedField = "cluster" | "severity" | "findings";
const INDEXED: Record<IndexedField, (r: AccessRow) => string[]> = {
  cluster: (r) => [r.cluster],
  severity: (r) => r.findings.map((f) => f.severity),
  findings: (r) => (r.findings.length ? ["any", ...r.findings.map((f) => f.kind)] : ["none"]),
};

function indexed(rows: readonly AccessRow[], name: keyof typeof INDEXED, value: string): readonly AccessRow[] {
  let byName = indexes.get(rows);
  if (!byName) indexes.set(rows, (byName = new Map()));
  let index = byName.get(name);
  if (!index) byName.set(name, (index = groupBy(rows, INDEXED[name])));
  return index.get(value) ?? NO_ROWS;
}

/** The rows a query can match: those of the most selective indexed field it names (`by`; the filter checks the other fields). */
function candidates(rows: readonly AccessRow[], q: AccessQuery): { among: readonly AccessRow[]; by: IndexedField | null } {
  for (const by of ["cluster", "severity", "findings"] as const) {
    const value = q[by];
    if (value) return { among: indexed(rows, by, value), by };
  }
  return { among: rows, by: null };
}

export function queryAccessRows(rows: readonly AccessRow[], q: AccessQuery): Page<AccessRow> {
  const { among, by } = candidates(rows, q);
  return filterSortedAndPage(among, { name: q.sort, key: SORT_KEYS[q.sort], dir: q.dir, ties: ACCESS_TIES }, accessFilter(q, by), q.page, q.pageSize);
}

export interface AccessFacets {
  clusters: string[];
  namespaces: string[];
  mechanisms: AccessMechanism[];
  kinds: string[];
  severities: Severity[];
}

// The rows of a view never change (a new scan makes a new view): the facets are computed once per view.
const facetsOf = new WeakMap<readonly AccessRow[], AccessFacets>();

/** The values each filter can offer: only those some row has, so no option lists an empty view. */
export function accessFacets(rows: readonly AccessRow[]): AccessFacets {
  let facets = facetsOf.get(rows);
  if (!facets) facetsOf.set(rows, (facets = computeFacets(rows)));
  return facets;
}

function computeFacets(rows: readonly AccessRow[]): AccessFacets {
  const sorted = <T extends string>(values: Iterable<T>) => [...new Set(values)].sort();
  const findings = rows.flatMap((r) => r.findings);
  return {
    clusters: sorted(rows.map((r) => r.cluster)),
    namespaces: sorted(rows.map((r) => r.namespace)),
    mechanisms: (["irsa", "pod-identity", "both"] as const).filter((m) => rows.some((r) => r.mechanism === m)),
    kinds: sorted(findings.map((f) => f.kind)),
    severities: SEVERITIES.filter((s) => findings.some((f) => f.severity === s)),
  };
}
