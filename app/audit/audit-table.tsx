import Link from "next/link";
import type { AuditQuery, AuditRowView } from "@/lib/audit/query";
import { auditHref } from "./audit-href";

const fmt = (iso: string) => iso.slice(0, 19).replace("T", " ");

function context(r: AuditRowView): string {
  const where = [r.cluster, r.namespace, r.serviceAccount].filter(Boolean).join(" / ");
  const parts = [where, r.roleArn, r.requestId && `request ${r.requestId}`, r.fromState && `${r.fromState} → ${r.toState ?? "?"}`, r.awsRequestId && `AWS ${r.awsRequestId}`];
  return parts.filter(Boolean).join(" · ");
}

function details(d: unknown): string {
  if (!d || (typeof d === "object" && Object.keys(d).length === 0)) return "";
  return JSON.stringify(d);
}

export function AuditTable({ rows, query }: { rows: AuditRowView[]; query: AuditQuery }) {
  const timeDir = query.sort === "at" && query.dir === "desc" ? "asc" : "desc";
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm" data-testid="audit-table">
        <thead className="bg-slate-100 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th className="px-3 py-2">#</th>
            <th className="px-3 py-2">
              <Link href={auditHref(query, { sort: "at", dir: timeDir, page: 1 })} className="hover:underline">
                Time (UTC) {query.sort === "at" ? (query.dir === "desc" ? "↓" : "↑") : ""}
              </Link>
            </th>
            <th className="px-3 py-2">Actor</th>
            <th className="px-3 py-2">Event</th>
            <th className="px-3 py-2">Subject</th>
            <th className="px-3 py-2">Context</th>
            <th className="px-3 py-2">Details</th>
            <th className="px-3 py-2">Hash</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={8} className="px-3 py-6 text-center text-slate-500">No audit events match these filters.</td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-100 align-top">
              <td className="px-3 py-2 tabular-nums text-slate-500">{r.id}</td>
              <td className="whitespace-nowrap px-3 py-2 tabular-nums">{fmt(r.at)}</td>
              <td className="px-3 py-2">{r.actor}</td>
              <td className="px-3 py-2 font-mono text-xs">{r.event}</td>
              <td className="px-3 py-2">{r.subject}</td>
              <td className="px-3 py-2 text-xs text-slate-700">{context(r)}</td>
              <td className="max-w-xs truncate px-3 py-2 font-mono text-xs text-slate-600" title={details(r.details)}>{details(r.details)}</td>
              <td className="px-3 py-2 font-mono text-xs text-slate-500" title={r.hash}>{r.hash.slice(0, 12)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
