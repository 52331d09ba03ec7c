// Above the items of an adopt batch (bulk adopt, estate baseline): what the
// request adopts grouped by cluster, namespace and role, and the associations
// the baseline set apart for their findings, so the batch is reviewed once.
import type { AdoptBatchSummary } from "@/lib/drift/adopt-batch-summary";
import { roleNameOf } from "@/lib/requests/describe-item";

function Counts({ title, rows, label = (k: string) => k }: { title: string; rows: [string, number][]; label?: (key: string) => string }) {
  return (
    <div className="min-w-0">
      <h3 className="font-medium">{title} ({rows.length})</h3>
      <ul className="max-h-48 overflow-y-auto text-xs">
        {rows.map(([key, n]) => (
          <li key={key} className="flex justify-between gap-2" title={key}>
            <span className="truncate font-mono">{label(key)}</span>
            <span>{n}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function AdoptSummaryPanel({ summary }: { summary: AdoptBatchSummary }) {
  return (
    <section aria-label="Adoption summary" data-testid="adopt-summary" className="rounded border border-slate-300 bg-slate-50 p-3 text-sm">
      <h2 className="mb-2 font-semibold">
        {summary.baseline ? "Estate baseline" : "Adoption"}: {summary.total} association(s) created outside RoleGate
      </h2>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <Counts title="By cluster" rows={summary.byCluster} />
        <Counts title="By namespace" rows={summary.byNamespace} />
        <Counts title="By role" rows={summary.byRole} label={roleNameOf} />
      </div>
      {summary.setApart && summary.setApart.length > 0 && (
        <div className="mt-3" data-testid="adopt-set-apart">
          <h3 className="font-medium">Set apart for a decision each ({summary.setApart.length}): not in this request, adopt or revoke them on /drift</h3>
          <ul className="text-xs">
            {summary.setApart.map((s) => (
              <li key={s.key}>
                <span className="font-mono">{s.key}</span>
                {s.findings.length > 0 && <>: {s.findings.join("; ")}</>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
