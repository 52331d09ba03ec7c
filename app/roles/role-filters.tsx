import type { RoleQuery } from "@/lib/inventory/views/role-summaries";

const input = "rounded border border-slate-300 px-2 py-1";

/** GET form for /roles. */
export function RoleFilters({ query, accounts }: { query: RoleQuery; accounts: string[] }) {
  return (
    <form method="get" action="/roles" className="mb-4 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Account</span>
        <select name="account" defaultValue={query.account ?? ""} className={input}>
          <option value="">All accounts</option>
          {accounts.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Mechanism</span>
        <select name="mechanism" defaultValue={query.mechanism ?? ""} className={input}>
          <option value="">Any</option>
          <option value="irsa">IRSA</option>
          <option value="pod-identity">Pod Identity</option>
          <option value="none">No service account</option>
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Findings</span>
        <select name="findings" defaultValue={query.findings ?? ""} className={input}>
          <option value="">With or without</option>
          <option value="any">Only with findings</option>
          <option value="none">Only without findings</option>
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Role ARN contains</span>
        <input name="q" defaultValue={query.q ?? ""} className={input} />
      </label>
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">Apply filters</button>
      <a href="/roles" className="px-2 py-1.5 text-slate-600 hover:underline">Clear</a>
    </form>
  );
}
