import type { AuditQuery, AuditRowView } from "@/lib/audit/query";
import { SortedTable, Time, type SortColumn } from "../components/ui";
import { auditHref } from "./audit-href";

const COLUMNS: SortColumn<AuditQuery["sort"]>[] = [
  { key: null, label: "#" },
  { key: "at", label: "Time" },
  { key: "actor", label: "Actor" },
  { key: "event", label: "Event" },
  { key: null, label: "Subject" },
  { key: null, label: "Context" },
  { key: null, label: "Details" },
  { key: null, label: "Hash" },
];

function context(r: AuditRowView): string {
  const where = [r.cluster, r.namespace, r.serviceAccount].filter(Boolean).join(" / ");
  const parts = [where, r.roleArn, r.requestId && `request ${r.requestId}`, r.fromState && `${r.fromState} → ${r.toState ?? "?"}`, r.awsRequestId && `AWS ${r.awsRequestId}`];
  return parts.filter(Boolean).join(" · ");
}

function details(d: unknown): string {
  if (!d || (typeof d === "object" && Object.keys(d).length === 0)) return "";
  return JSON.stringify(d);
}

function AuditRow({ r }: { r: AuditRowView }) {
  return (
    <tr className="align-top">
      <td className="px-3 py-2 tabular-nums text-slate-500">{r.id}</td>
      <td className="whitespace-nowrap px-3 py-2"><Time at={r.at} /></td>
      <td className="px-3 py-2">{r.actor}</td>
      <td className="px-3 py-2 font-mono text-xs">{r.event}</td>
      <td className="px-3 py-2">{r.subject}</td>
      <td className="px-3 py-2 text-xs text-slate-700">{context(r)}</td>
      <td className="max-w-xs truncate px-3 py-2 font-mono text-xs text-slate-600" title={details(r.details)}>{details(r.details)}</td>
      <td className="px-3 py-2 font-mono text-xs text-slate-500" title={r.hash}>{r.hash.slice(0, 12)}</td>
    </tr>
  );
}

export function AuditTable({ rows, query }: { rows: AuditRowView[]; query: AuditQuery }) {
  return (
    <SortedTable testId="audit-table" columns={COLUMNS} query={query} href={auditHref} rows={rows} row={(r) => <AuditRow key={r.id} r={r} />} empty="No audit events match these filters." />
  );
}
