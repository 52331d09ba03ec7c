// The overview's numbers, each the total of the list it links to: a count is
// never computed on its own, it is listTotal(view, href), the same filter and
// query the linked page runs on the same scan, so the two cannot disagree.
import type { InventoryView } from "./inventory-view";
import { accessQuerySchema, countAccessRows } from "./access-rows";
import { SEVERITIES } from "./paging";
import { queryRoles, roleQuerySchema } from "./role-summaries";

export interface CountLink {
  label: string;
  href: string;
  value: number;
}

/** How many rows the list at `href` (a path with its filters) shows for this view; null for a path the overview does not link. */
export function listTotal(view: InventoryView, href: string): number | null {
  const url = new URL(href, "http://overview.invalid");
  const params = Object.fromEntries(url.searchParams);
  switch (url.pathname) {
    case "/mappings":
      return countAccessRows(view.accessRows, accessQuerySchema.parse(params));
    case "/roles":
      return queryRoles(view.roles, roleQuerySchema.parse(params)).total;
    case "/clusters":
      return view.clusters.length;
    default:
      return null;
  }
}

const link = (view: InventoryView, label: string, href: string): CountLink => ({ label, href, value: listTotal(view, href) ?? 0 });
const mappingsOf = (filters: Record<string, string>) => `/mappings?${new URLSearchParams(filters)}`;

export interface OverviewCounts {
  totals: CountLink[];
  /** Mappings with at least one open finding of each severity (a mapping with two severities counts under both). */
  severities: (CountLink & { severity: (typeof SEVERITIES)[number] })[];
  /** Per watched cluster: its mappings with findings. */
  clusters: (CountLink & { cluster: string })[];
}

// A view is one scan's analysis and never changes: its counts (one filter over every row per number) are computed once.
const computed = new WeakMap<InventoryView, OverviewCounts>();

export function overviewCounts(view: InventoryView): OverviewCounts {
  let counts = computed.get(view);
  if (!counts) computed.set(view, (counts = countsOf(view)));
  return counts;
}

function countsOf(view: InventoryView): OverviewCounts {
  return {
    totals: [
      link(view, "Clusters", "/clusters"),
      link(view, "Roles", "/roles"),
      link(view, "Mappings", "/mappings"),
      link(view, "IRSA only", mappingsOf({ mechanism: "irsa" })),
      link(view, "Pod Identity only", mappingsOf({ mechanism: "pod-identity" })),
      link(view, "Both mechanisms", mappingsOf({ mechanism: "both" })),
    ],
    severities: SEVERITIES.map((severity) => ({ severity, ...link(view, severity, mappingsOf({ severity })) })),
    clusters: view.clusters.map((c) => ({ cluster: c.name, ...link(view, c.name, mappingsOf({ cluster: c.name, findings: "any" })) })),
  };
}

// A fleet of 100 clusters is not listed on the overview: it names those to look at first (scan errors, then the
// most mappings with findings) and links /clusters for the rest. A smaller fleet is listed whole, in scan order.
export const CLUSTERS_SHOWN = 12;

/** The overview's clusters, each with its "mappings with findings" link (`findings[i]` belongs to `clusters[i]`). */
export function clustersToShow<C extends { errors: string[] }, L extends { value: number }>(clusters: C[], findings: L[]): { c: C; findings: L }[] {
  const all = clusters.map((c, i) => ({ c, findings: findings[i]! }));
  if (all.length <= CLUSTERS_SHOWN) return all;
  return all.sort((a, b) => Number(b.c.errors.length > 0) - Number(a.c.errors.length > 0) || b.findings.value - a.findings.value).slice(0, CLUSTERS_SHOWN);
}
