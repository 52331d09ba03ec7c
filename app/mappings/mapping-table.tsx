import Link from "next/link";
import type { MappingQuery } from "@/lib/inventory/list-mappings";
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
};

const COLUMNS: { key: MappingQuery["sort"] | null; label: string }[] = [
  { key: "cluster", label: "Cluster" },
  { key: "namespace", label: "Namespace" },
  { key: "serviceAccount", label: "Service account" },
  { key: "roleArn", label: "Role" },
  { key: null, label: "Target role" },
  { key: null, label: "Session tags" },
  { key: "created", label: "Created" },
  { key: "modified", label: "Modified" },
];

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

export function MappingTable({ rows, query }: { rows: Row[]; query: MappingQuery }) {
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm" data-testid="mappings-table">
        <thead className="bg-slate-100 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {COLUMNS.map((c) => {
              if (!c.key) return <th key={c.label} className="px-3 py-2">{c.label}</th>;
              const active = query.sort === c.key;
              const dir = active && query.dir === "asc" ? "desc" : "asc";
              return (
                <th key={c.label} className="px-3 py-2" aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
                  <Link href={queryHref(query, { sort: c.key, dir, page: 1 })} className="hover:underline">
                    {c.label} {active ? (query.dir === "asc" ? "▲" : "▼") : ""}
                  </Link>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} data-association-id={r.associationId}>
              <td className="px-3 py-2 font-medium">{r.cluster.name}</td>
              <td className="px-3 py-2">{r.namespace}</td>
              <td className="px-3 py-2">
                {r.serviceAccount}
                {r.ownerArn && <span className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-600" title={r.ownerArn}>add-on</span>}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{r.roleArn}</td>
              <td className="px-3 py-2 font-mono text-xs">{r.targetRoleArn ?? "—"}</td>
              <td className="px-3 py-2">{r.disableSessionTags ? "off" : "on"}</td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">{fmt(r.awsCreatedAt)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">{fmt(r.awsModifiedAt)}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} className="px-3 py-6 text-center text-slate-600">
                No association matches. Clear the filters, or press Refresh to read the clusters again.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
