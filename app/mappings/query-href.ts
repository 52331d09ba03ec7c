import type { MappingQuery } from "@/lib/inventory/list-mappings";

const DEFAULTS: Partial<Record<keyof MappingQuery, string | number>> = { sort: "cluster", dir: "asc", page: 1, pageSize: 50 };

/** The /mappings?view=associations URL for a query with some fields changed; defaults stay out of the URL. */
export function queryHref(query: MappingQuery, change: Partial<MappingQuery>): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams({ view: "associations" });
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === "" || DEFAULTS[k as keyof MappingQuery] === v) continue;
    params.set(k, String(v));
  }
  return `/mappings?${params.toString()}`;
}

/** The association list narrowed to one service account: where a request's mapping is (the request list links here). */
export function mappingHref(sa: { cluster: string; namespace: string; serviceAccount: string }): string {
  const params = new URLSearchParams({ view: "associations", cluster: sa.cluster, namespace: sa.namespace, q: sa.serviceAccount });
  return `/mappings?${params.toString()}`;
}
