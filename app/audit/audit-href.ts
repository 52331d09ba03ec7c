import { auditSearch, type AuditQuery } from "@/lib/audit/query";

const DEFAULTS: Record<string, string | number> = { sort: "at", dir: "desc", page: 1, pageSize: 50 };

/** The /audit URL for a query with some fields changed; defaults stay out of the URL. */
export function auditHref(query: AuditQuery, change: Partial<Record<keyof AuditQuery, string | number | undefined>> = {}, base = "/audit"): string {
  const merged: Record<string, unknown> = { ...query, ...change };
  for (const [k, v] of Object.entries(DEFAULTS)) if (merged[k] === v) delete merged[k];
  const s = auditSearch(merged as Partial<AuditQuery>);
  return s ? `${base}?${s}` : base;
}

/** Export link: the same filters, all rows, as a download. */
export function exportHref(query: AuditQuery, format: "csv" | "json"): string {
  const { sort: _s, dir: _d, page: _p, pageSize: _ps, ...filters } = query;
  const s = auditSearch(filters, { format });
  return `/api/v1/audit?${s}`;
}
