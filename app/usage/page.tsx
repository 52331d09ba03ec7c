import { requireUser } from "@/lib/auth/require-user";
import { usageView } from "@/lib/inventory/queries";
import type { UsageBar } from "@/lib/inventory/views/scan-history";
import { NamespaceBars } from "./namespace-bars";
import { TrendChart } from "./trend-chart";

export const dynamic = "force-dynamic";

/** /usage: IRSA service accounts vs Pod Identity associations per cluster and namespace, and the trend over scans. */
export default async function UsagePage() {
  await requireUser("inventory:read");
  const { latest, trend } = await usageView();
  const byCluster = new Map<string, UsageBar[]>();
  for (const r of latest) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r]);
  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Usage</h1>
        <p className="text-sm text-slate-600">
          How workloads get AWS credentials: <span className="font-medium text-violet-700">IRSA</span> (service accounts annotated with a role) against{" "}
          <span className="font-medium text-emerald-700">EKS Pod Identity</span> (associations), from the latest scans.
        </p>
      </div>
      {latest.length === 0 && <p data-testid="no-scan" className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No scan has recorded usage yet.</p>}
      {[...byCluster].map(([cluster, rows]) => (
        <NamespaceBars key={cluster} cluster={cluster} rows={rows} />
      ))}
      {trend.length > 0 && <TrendChart points={trend.map((p) => ({ ...p, at: p.at.toISOString() }))} />}
    </section>
  );
}
