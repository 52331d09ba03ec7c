import type { MappingQuery } from "@/lib/inventory/list-mappings";

/** A plain GET form: filters live in the URL, so views can be bookmarked and shared. */
export function MappingFilters({ query, clusters, namespaces }: { query: MappingQuery; clusters: string[]; namespaces: string[] }) {
  return (
    <form method="get" action="/mappings" className="mb-4 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Cluster</span>
        <select name="cluster" defaultValue={query.cluster ?? ""} className="rounded border border-slate-300 px-2 py-1">
          <option value="">All clusters</option>
          {clusters.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Namespace</span>
        <select name="namespace" defaultValue={query.namespace ?? ""} className="rounded border border-slate-300 px-2 py-1">
          <option value="">All namespaces</option>
          {namespaces.map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Service account or role contains</span>
        <input name="q" defaultValue={query.q ?? ""} placeholder="svc-etl, DataLake..." className="rounded border border-slate-300 px-2 py-1" />
      </label>
      <input type="hidden" name="view" value="associations" />
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <input type="hidden" name="pageSize" value={query.pageSize} />
      <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">Apply filters</button>
      <a href="/mappings?view=associations" className="px-2 py-1.5 text-slate-600 hover:underline">Clear</a>
    </form>
  );
}
