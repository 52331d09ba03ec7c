import Link from "next/link";
import type { MappingQuery, MappingRequestLink } from "@/lib/inventory/list-mappings";
import { WORKLOAD_COLUMNS } from "../components/inventory-columns";
import { Arn, SortedTable, Time, type SortColumn } from "../components/ui";
import { queryHref } from "./query-href";

type Row = {
  id: string;
  associationId: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn: string | null;
  disableSessionTags: boolean;
  ownerArn: string | null;
  awsCreatedAt: Date;
  awsModifiedAt: Date;
  cluster: { name: string };
  requests: MappingRequestLink[];
};

const COLUMNS: SortColumn<MappingQuery["sort"]>[] = [
  ...WORKLOAD_COLUMNS,
  { key: "roleArn", label: "Role" },
  { key: null, label: "Target role" },
  { key: null, label: "Session tags" },
  { key: "created", label: "Created" },
  { key: "modified", label: "Modified" },
  { key: null, label: "Requests" },
];

function MappingRow({ r }: { r: Row }) {
  return (
    <tr data-association-id={r.associationId}>
      <td className="px-3 py-2 font-medium">{r.cluster.name}</td>
      <td className="px-3 py-2">{r.namespace}</td>
      <td className="px-3 py-2">
        {r.serviceAccount}
        {r.ownerArn && <span className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-600" title={r.ownerArn}>add-on</span>}
      </td>
      <td className="px-3 py-2"><Arn arn={r.roleArn} /></td>
      <td className="px-3 py-2">{r.targetRoleArn ? <Arn arn={r.targetRoleArn} /> : "—"}</td>
      <td className="px-3 py-2">{r.disableSessionTags ? "off" : "on"}</td>
      <td className="whitespace-nowrap px-3 py-2 text-slate-600"><Time at={r.awsCreatedAt} /></td>
      <td className="whitespace-nowrap px-3 py-2 text-slate-600"><Time at={r.awsModifiedAt} /></td>
      <td className="px-3 py-2" data-testid="mapping-requests">
        {r.requests.length === 0 ? (
          <span className="text-xs text-slate-600">none</span>
        ) : (
          <ul className="space-y-0.5 text-xs">
            {r.requests.map((q) => (
              <li key={q.id}><Link className="text-indigo-700 hover:underline" href={`/requests/${q.id}`}>{q.kind} · {q.status}</Link></li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

export function MappingTable({ rows, query }: { rows: Row[]; query: MappingQuery }) {
  return (
    <SortedTable testId="mappings-table" columns={COLUMNS} query={query} href={queryHref} rows={rows} row={(r) => <MappingRow key={r.id} r={r} />} empty="No association matches. Clear the filters, or press Refresh to read the clusters again." />
  );
}
