import type { UsageBar } from "@/lib/inventory/views/scan-history";

/** One cluster: per namespace, a bar for IRSA service accounts and one for Pod Identity associations (plain CSS). */
export function NamespaceBars({ cluster, rows }: { cluster: string; rows: UsageBar[] }) {
  const shown = rows.filter((r) => r.irsa + r.podIdentity > 0);
  const max = Math.max(1, ...shown.map((r) => Math.max(r.irsa, r.podIdentity)));
  const irsa = rows.reduce((n, r) => n + r.irsa, 0);
  const pi = rows.reduce((n, r) => n + r.podIdentity, 0);
  return (
    <figure id={cluster} data-testid="usage-chart" data-cluster={cluster} className="rounded border border-slate-200 bg-white p-4">
      <figcaption className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-lg font-semibold">{cluster}</span>
        <span className="text-sm text-slate-600" data-testid="usage-totals">
          {irsa} IRSA service accounts · {pi} Pod Identity associations
        </span>
      </figcaption>
      {shown.length === 0 && <p className="text-sm text-slate-500">No service account uses IRSA or Pod Identity here.</p>}
      <div className="space-y-2">
        {shown.map((r) => (
          <div key={r.namespace} data-testid="usage-row" className="grid grid-cols-[10rem_1fr] items-center gap-2 text-xs">
            <span className="truncate font-medium" title={r.namespace}>{r.namespace}</span>
            <div className="space-y-0.5">
              {[
                { label: "IRSA", value: r.irsa, color: "bg-violet-500" },
                { label: "Pod Identity", value: r.podIdentity, color: "bg-emerald-500" },
              ].map((b) => (
                <div key={b.label} className="flex items-center gap-2">
                  <div role="img" aria-label={`${r.namespace} ${b.label}: ${b.value}`} className={`h-3 rounded-sm ${b.color}`} style={{ width: `${(b.value / max) * 100}%`, minWidth: b.value ? 2 : 0 }} />
                  <span className="whitespace-nowrap text-slate-600">{b.value} {b.label}</span>
                </div>
              ))}
            </div>
          </div>
        ))}
      </div>
    </figure>
  );
}
