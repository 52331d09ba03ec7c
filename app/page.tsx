import Link from "next/link";
import { can, refusal } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { driftCounts } from "@/lib/drift/queries";
import { inventoryView, recentScanList } from "@/lib/inventory/queries";
import { reviewInboxCount } from "@/lib/requests/queries";
import { clustersToShow, overviewCounts } from "@/lib/inventory/views/overview-counts";
import { NoScanYet } from "./components/no-scan-yet";
import { RescanButton } from "./components/rescan-button";
import { SeverityBadge } from "./components/severity-badge";
import { Time } from "./components/ui";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const user = await requireUser("inventory:read");
  const reviews = refusal(user, "requests:review") === null;
  const [view, scans, drift, inbox] = await Promise.all([inventoryView(), recentScanList(5), driftCounts(), reviews ? reviewInboxCount(user) : null]);
  const canScan = can(user.role, "inventory:scan");
  const counts = view ? overviewCounts(view) : null;
  const shown = clustersToShow(view?.clusters ?? [], counts?.clusters ?? []);
  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Overview</h1>
          <p className="text-sm text-slate-600">Which workload can become which IAM role, across every watched cluster.</p>
        </div>
        <RescanButton allowed={canScan} />
      </div>
      {inbox !== null && (
        <Link
          href="/requests?tab=review"
          data-testid="overview-inbox"
          className={`flex flex-wrap items-center justify-between gap-2 rounded border p-4 ${inbox ? "border-indigo-300 bg-indigo-50 hover:bg-indigo-100" : "border-slate-200 bg-white hover:bg-slate-50"}`}
        >
          <span className="text-lg font-semibold">Needs your review ({inbox})</span>
          <span className="text-sm text-slate-700">{inbox ? "Requests waiting for your decision" : "Nothing waits for you"}</span>
        </Link>
      )}
      {!view || !counts ? (
        <NoScanYet canScan={canScan} />
      ) : (
        <>
          <div data-testid="overview-counts" className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
            {counts.totals.map((c) => <Stat key={c.href} {...c} />)}
          </div>
          <div>
            <h2 className="mb-2 text-lg font-semibold">Mappings with open findings, by severity</h2>
            <ul data-testid="findings-by-severity" className="flex flex-wrap gap-3">
              {counts.severities.map(({ severity, href, value }) => (
                <li key={severity}>
                  <Link href={href} className="flex items-center gap-2 rounded border border-slate-200 bg-white px-3 py-2 hover:bg-slate-50" data-testid={`severity-${severity}`}>
                    <SeverityBadge severity={severity} /> <span className="text-lg font-semibold">{value}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h2 className="mb-2 text-lg font-semibold">Drift between RoleGate and AWS</h2>
            <ul data-testid="drift-counts" className="flex flex-wrap gap-3 text-sm">
              {([["out-of-band", "created outside RoleGate"], ["missing", "approved but missing in AWS"], ["changed", "changed outside RoleGate"]] as const).map(([kind, label]) => (
                <li key={kind}>
                  <Link href={`/drift#drift-${kind}`} className="flex items-center gap-2 rounded border border-slate-200 bg-white px-3 py-2 hover:bg-slate-50">
                    <span className="text-lg font-semibold">{drift[kind]}</span> {label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h2 className="mb-2 text-lg font-semibold">Last scan per cluster</h2>
            <ul data-testid="cluster-scans" className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
              {shown.map(({ c, findings }) => (
                <li key={c.arn} className="flex flex-wrap justify-between gap-2 p-3 text-sm">
                  <Link className="font-medium text-indigo-700 hover:underline" href={`/mappings?cluster=${encodeURIComponent(c.name)}`}>{c.name}</Link>
                  <span className="text-slate-600">
                    scanned <Time at={view.scannedAt} /> ·{" "}
                    {c.errors.length ? <span className="text-red-700">{c.errors.join("; ")}</span> : <span className="text-emerald-700">ok</span>} ·{" "}
                    <Link className="text-indigo-700 underline" href={findings.href} data-testid={`cluster-findings-${c.name}`}>{findings.value} mappings with findings</Link>
                  </span>
                </li>
              ))}
            </ul>
            {shown.length < view.clusters.length && (
              <p data-testid="cluster-scans-more" className="mt-1 text-sm text-slate-600">
                The {shown.length} clusters with scan errors or the most mappings with findings, of {view.clusters.length}:{" "}
                <Link href="/clusters" className="text-indigo-700 underline">every cluster</Link>.
              </p>
            )}
          </div>
        </>
      )}
      <div>
        <h2 className="mb-2 text-lg font-semibold">Recent scans</h2>
        <div className="overflow-x-auto">
        <table data-testid="recent-scans" className="min-w-full rounded border border-slate-200 bg-white text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr><th className="px-3 py-2">Started</th><th className="px-3 py-2">Status</th><th className="px-3 py-2">By</th><th className="px-3 py-2">Errors</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {scans.map((s) => (
              <tr key={s.id}>
                <td className="px-3 py-1.5"><Time at={s.startedAt} /></td>
                <td className="px-3 py-1.5">{s.status}</td>
                <td className="px-3 py-1.5">{s.startedBy} ({s.trigger})</td>
                <td className="px-3 py-1.5 text-xs text-red-700">{s.errors.map((e) => `${e.scope}: ${e.message}`).join("; ")}</td>
              </tr>
            ))}
            {scans.length === 0 && <tr><td colSpan={4} className="px-3 py-3 text-slate-500">No scan yet.</td></tr>}
          </tbody>
        </table>
        </div>
      </div>
    </section>
  );
}

function Stat({ label, value, href }: { label: string; value: number; href: string }) {
  return (
    <Link href={href} data-testid={`count-${label.toLowerCase().replace(/ /g, "-")}`} className="rounded border border-slate-200 bg-white p-4 hover:bg-slate-50">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-xl font-semibold">{value}</div>
    </Link>
  );
}
