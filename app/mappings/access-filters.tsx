import type { FindingKind } from "@/lib/inventory/analysis";
import type { AccessQuery } from "@/lib/inventory/views/access-rows";

const select = "rounded border border-slate-300 px-2 py-1";

/** Label tied by id, so a select's name is its label only (not its options' text). */
function Field({ label, id, children }: { label: string; id: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">{label}</label>
      {children}
    </div>
  );
}

/** GET form for the per-SA view: every filter lives in the URL. */
export function AccessFilters({ query, clusters, namespaces, kinds }: { query: AccessQuery; clusters: string[]; namespaces: string[]; kinds: FindingKind[] }) {
  return (
    <form method="get" action="/mappings" className="mb-4 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
      <Field label="Cluster" id="access-cluster">
        <select id="access-cluster" name="cluster" defaultValue={query.cluster ?? ""} className={select}>
          <option value="">All clusters</option>
          {clusters.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </Field>
      <Field label="Namespace" id="access-namespace">
        <select id="access-namespace" name="namespace" defaultValue={query.namespace ?? ""} className={select}>
          <option value="">All namespaces</option>
          {namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </Field>
      <Field label="Mechanism" id="access-mechanism">
        <select id="access-mechanism" name="mechanism" defaultValue={query.mechanism ?? ""} className={select}>
          <option value="">Any mechanism</option>
          <option value="irsa">IRSA</option>
          <option value="pod-identity">Pod Identity</option>
          <option value="both">Both</option>
        </select>
      </Field>
      <Field label="Finding" id="access-kind">
        <select id="access-kind" name="kind" defaultValue={query.kind ?? ""} className={select}>
          <option value="">Any finding or none</option>
          {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </Field>
      <Field label="Severity" id="access-severity">
        <select id="access-severity" name="severity" defaultValue={query.severity ?? ""} className={select}>
          <option value="">Any severity</option>
          {["high", "medium", "low", "info"].map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </Field>
      <Field label="Findings" id="access-findings">
        <select id="access-findings" name="findings" defaultValue={query.findings ?? ""} className={select}>
          <option value="">With or without</option>
          <option value="any">Only with findings</option>
          <option value="none">Only without findings</option>
        </select>
      </Field>
      <Field label="Search" id="access-q">
        <input id="access-q" name="q" defaultValue={query.q ?? ""} placeholder="svc-etl, DataLake..." className={select} />
      </Field>
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <input type="hidden" name="pageSize" value={query.pageSize} />
      <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">Apply filters</button>
      <a href="/mappings" className="px-2 py-1.5 text-slate-600 hover:underline">Clear</a>
    </form>
  );
}
