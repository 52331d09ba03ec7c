import Link from "next/link";
import type { AuditQuery, AuditRowView } from "@/lib/audit/query";
import { awsCallOf, type Approval } from "@/lib/audit/row-context";
import { SortedTable, Time, type SortColumn } from "../components/ui";
import { auditHref } from "./audit-href";

const COLUMNS: SortColumn<AuditQuery["sort"]>[] = [
  { key: null, label: "#" },
  { key: "at", label: "Time" },
  { key: "actor", label: "Actor" },
  { key: "event", label: "Event" },
  { key: null, label: "Request" },
  { key: null, label: "Context" },
  { key: null, label: "AWS call" },
  { key: null, label: "Details" },
];

function context(r: AuditRowView): string {
  const where = [r.cluster, r.namespace, r.serviceAccount].filter(Boolean).join(" / ");
  const parts = [r.subject !== r.requestId && r.subject, where, r.roleArn, r.fromState && `${r.fromState} → ${r.toState ?? "?"}`];
  return parts.filter(Boolean).join(" · ");
}

function AwsCall({ r }: { r: AuditRowView }) {
  const call = awsCallOf(r);
  if (!call) return r.awsRequestId ? <span className="font-mono text-xs">AWS request {r.awsRequestId}</span> : <span className="text-slate-600">-</span>;
  return (
    <span className="text-xs" data-testid="audit-aws-call">
      <span className="font-mono">{call.operation}</span>
      {call.outcome && <> ({call.outcome})</>}
      {call.awsRequestId && <span className="block font-mono text-slate-600">request id {call.awsRequestId}</span>}
    </span>
  );
}

/** Who approved the request this row belongs to, and when: on the rows that apply it. */
function Approvals({ list }: { list: Approval[] }) {
  return (
    <span className="block text-xs text-slate-700" data-testid="audit-approved-by">
      approved by{" "}
      {list.map((a, i) => (
        <span key={a.actor}>{i > 0 && ", "}{a.actor} <Time at={a.at} /></span>
      ))}
    </span>
  );
}

const APPLY_EVENTS = new Set(["request.item_applied", "request.item_failed", "request.applied", "request.failed", "request.apply_started", "request.apply_refused_unsigned"]);

/** The whole row behind a disclosure: every field, the details pretty-printed, the hash chain link. */
function FullDetails({ r }: { r: AuditRowView }) {
  const fields: [string, string | null][] = [
    ["Subject", r.subject], ["Request", r.requestId], ["Cluster", r.cluster], ["Namespace", r.namespace], ["Service account", r.serviceAccount], ["Role", r.roleArn],
    ["State", r.fromState ? `${r.fromState} → ${r.toState ?? "?"}` : null], ["AWS request id", r.awsRequestId], ["Hash", `${r.hash} (${r.hashScheme})`], ["Previous hash", r.prevHash],
  ];
  return (
    <details className="text-xs" data-testid="audit-details">
      <summary className="cursor-pointer text-indigo-700 hover:underline">Show all</summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {fields.filter(([, v]) => v).map(([k, v]) => (
          <div key={k} className="contents"><dt className="text-slate-600">{k}</dt><dd className="break-all font-mono">{v}</dd></div>
        ))}
      </dl>
      <pre className="mt-2 max-w-md overflow-x-auto rounded bg-slate-50 p-2 font-mono">{JSON.stringify(r.details ?? {}, null, 2)}</pre>
    </details>
  );
}

function AuditRow({ r, approvals }: { r: AuditRowView; approvals: Approval[] }) {
  return (
    <tr className="align-top" data-testid="audit-row" data-event={r.event}>
      <td className="px-3 py-2 tabular-nums text-slate-600">{r.id}</td>
      <td className="whitespace-nowrap px-3 py-2"><Time at={r.at} /></td>
      <td className="px-3 py-2">{r.actor}</td>
      <td className="px-3 py-2 font-mono text-xs">{r.event}</td>
      <td className="px-3 py-2 text-xs">
        {r.requestId ? <Link className="font-mono text-indigo-700 hover:underline" href={`/requests/${r.requestId}`}>{r.requestId.slice(0, 8)}</Link> : <span className="text-slate-600">-</span>}
      </td>
      <td className="px-3 py-2 text-xs text-slate-700">
        {context(r)}
        {approvals.length > 0 && APPLY_EVENTS.has(r.event) && <Approvals list={approvals} />}
      </td>
      <td className="px-3 py-2"><AwsCall r={r} /></td>
      <td className="px-3 py-2"><FullDetails r={r} /></td>
    </tr>
  );
}

export function AuditTable({ rows, query, approvals }: { rows: AuditRowView[]; query: AuditQuery; approvals: Map<string, Approval[]> }) {
  return (
    <SortedTable
      testId="audit-table"
      columns={COLUMNS}
      query={query}
      href={auditHref}
      rows={rows}
      row={(r) => <AuditRow key={r.id} r={r} approvals={(r.requestId && approvals.get(r.requestId)) || []} />}
      empty="No audit events match these filters."
    />
  );
}
