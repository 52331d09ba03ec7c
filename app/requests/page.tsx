import Link from "next/link";
import { requireUser } from "@/lib/auth/require-user";
import { can } from "@/lib/auth/permissions";
import { defaultTab, listQuerySchema } from "@/lib/requests/list-requests";
import { requestsView } from "@/lib/requests/queries";
import { AuditStatusBadge } from "./audit-status-badge";
import { StatusBadge } from "./status-badge";
import { mappingHref } from "../mappings/query-href";
import { Arn, Time } from "../components/ui";

export const dynamic = "force-dynamic";

const TABS = [
  { tab: "mine", label: "Mine" },
  { tab: "review", label: "Needs your review" },
  { tab: "all", label: "All" },
] as const;

export default async function RequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requireUser("requests:read");
  const params = await searchParams;
  // No tab asked for: the one that fits the person (reviewers their inbox, everyone else their own requests).
  const query = listQuerySchema.parse({ ...params, tab: params.tab ?? defaultTab(user.role, user.kind) });
  const { result, audit } = await requestsView(user, query);
  const href = (patch: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams(Object.entries({ ...query, ...patch }).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)]));
    return `/requests?${p}`;
  };
  return (
    <section>
      <div className="mb-4 flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Requests</h1>
        <div className="flex items-center gap-3">
          <Link href="/templates" className="text-sm text-slate-600 hover:underline">Standing approvals</Link>
          {can(user.role, "policies:manage") && <Link href="/settings/approval-policies" className="text-sm text-slate-600 hover:underline">Approval policies</Link>}
          {can(user.role, "requests:create") && (
            <Link href="/requests/new" className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">New request</Link>
          )}
        </div>
      </div>
      <nav className="mb-3 flex gap-2 text-sm" aria-label="Request tabs">
        {TABS.map((t) => (
          <Link key={t.tab} href={href({ tab: t.tab, page: 1 })} aria-current={query.tab === t.tab ? "page" : undefined} data-testid={`tab-${t.tab}`} className={`rounded px-3 py-1 ${query.tab === t.tab ? "bg-slate-900 text-white" : "bg-slate-100"}`}>
            {t.label}
          </Link>
        ))}
      </nav>
      <form className="mb-3 flex flex-wrap gap-2 text-sm" action="/requests">
        <input type="hidden" name="tab" value={query.tab} />
        <select name="status" defaultValue={query.status ?? ""} className="rounded border px-2 py-1" aria-label="Status">
          <option value="">any status</option>
          {["pending", "approved", "applying", "applied", "failed", "rejected", "cancelled", "expired"].map((s) => <option key={s}>{s}</option>)}
        </select>
        <input name="cluster" defaultValue={query.cluster} placeholder="cluster" className="rounded border px-2 py-1" aria-label="Cluster" />
        <input name="q" defaultValue={query.q} placeholder="service account or role" className="rounded border px-2 py-1" aria-label="Search" />
        <button className="rounded bg-slate-100 px-3 py-1">Filter</button>
      </form>
      <div className="overflow-x-auto">
      <table className="w-full min-w-[48rem] text-left text-sm" data-testid="requests-table">
        <thead className="border-b text-slate-500">
          <tr><th className="py-2">Request</th><th>Service account</th><th>Role</th><th>Requester</th><th>Status</th><th>Filed</th>{audit && <th>Audit</th>}</tr>
        </thead>
        <tbody>
          {result.rows.map((r) => (
            <tr key={r.id} className="border-b">
              <td className="py-2"><Link className="text-blue-700 underline" href={`/requests/${r.id}`}>{r.kind}{r.items > 1 ? ` (${r.items} items)` : ""}</Link></td>
              <td>
                {!r.first ? "-" : r.status === "applied" && r.kind !== "delete" ? (
                  <Link className="text-blue-700 underline" href={mappingHref(r.first)} title="Its mapping on /mappings">{`${r.first.cluster} / ${r.first.namespace} / ${r.first.serviceAccount}`}</Link>
                ) : (
                  `${r.first.cluster} / ${r.first.namespace} / ${r.first.serviceAccount}`
                )}
              </td>
              <td>{r.first?.roleArn ? <Arn arn={r.first.roleArn} /> : "-"}</td>
              <td>{r.requester}</td>
              <td><StatusBadge status={r.status} /></td>
              <td><Time at={r.createdAt} /></td>
              {audit && <td className="text-xs"><AuditStatusBadge status={audit.get(r.id)} /></td>}
            </tr>
          ))}
          {result.rows.length === 0 && <tr><td colSpan={7} className="py-6 text-center text-slate-500">No requests here.</td></tr>}
        </tbody>
      </table>
      </div>
      <p className="mt-3 flex gap-3 text-sm">
        {query.page > 1 && <Link href={href({ page: query.page - 1 })}>Previous</Link>}
        <span>Page {result.page} of {result.pages} ({result.total} requests)</span>
        {query.page < result.pages && <Link href={href({ page: query.page + 1 })}>Next</Link>}
      </p>
    </section>
  );
}
