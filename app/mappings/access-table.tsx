import Link from "next/link";
import type { AccessQuery, AccessRow } from "@/lib/inventory/views/access-rows";
import { roleHref } from "@/lib/inventory/views/role-summaries";
import { WORKLOAD_COLUMNS } from "../components/inventory-columns";
import { RequestMappingLink, SortedTable, type SortColumn } from "../components/ui";
import { MechanismBadge } from "../components/severity-badge";
import { accessHref } from "./access-href";
import { FindingOnDemand } from "./finding-on-demand";

const COLUMNS: SortColumn<AccessQuery["sort"]>[] = [
  ...WORKLOAD_COLUMNS,
  { key: "role", label: "Role" },
  { key: "mechanism", label: "How" },
  { key: "severity", label: "Findings" },
];

function AccessRowView({ r, canRequest }: { r: AccessRow; canRequest: boolean }) {
  return (
    <tr data-testid="access-row" data-service-account={r.serviceAccount} className="align-top">
      <td className="px-3 py-2">{r.cluster}</td>
      <td className="px-3 py-2">{r.namespace}</td>
      <td className="px-3 py-2 font-medium">
        {r.serviceAccount}
        {r.placement && (
          <div data-testid="placement" data-pod-identity={r.placement.podIdentity} className={`mt-1 text-xs font-normal ${r.placement.podIdentity === "unsupported" ? "text-amber-800" : "text-slate-500"}`}>
            runs on {r.placement.summary}
            {r.placement.podIdentity === "unsupported" && " (no Pod Identity: stays on IRSA)"}
          </div>
        )}
        {canRequest && <div className="mt-1 font-normal"><RequestMappingLink cluster={r.cluster} namespace={r.namespace} serviceAccount={r.serviceAccount} roleArn={r.roleArn} /></div>}
      </td>
      <td className="px-3 py-2">
        <Link href={roleHref(r.roleArn)} className="text-indigo-700 hover:underline" title={r.roleArn}>
          {r.roleArn.split("/").pop()}
        </Link>
        <div className="text-xs text-slate-500">{r.roleArn.split(":")[4]}</div>
      </td>
      <td className="px-3 py-2">
        <MechanismBadge mechanism={r.mechanism} />
        {!r.effective && <div className="mt-1 text-xs text-red-700">cannot assume</div>}
        {r.irsaVia && r.irsaVia !== "exact" && <div className="mt-1 text-xs text-slate-500">IRSA via {r.irsaVia}</div>}
      </td>
      <td className="px-3 py-2">
        {r.findings.length === 0 ? (
          <span className="text-xs text-slate-500">none</span>
        ) : (
          <div className="flex max-w-xl flex-col gap-1">
            {r.findings.map((f) => <FindingOnDemand key={f.id} finding={{ id: f.id, kind: f.kind, severity: f.severity, title: f.title }} canRequest={canRequest} />)}
          </div>
        )}
      </td>
    </tr>
  );
}

/** Per service account -> role rows, findings inline (badges; detail and fix load when opened). */
export function AccessTable({ rows, query, canRequest }: { rows: AccessRow[]; query: AccessQuery; canRequest: boolean }) {
  return (
    <SortedTable testId="access-table" columns={COLUMNS} query={query} href={accessHref} rows={rows} row={(r) => <AccessRowView key={r.key} r={r} canRequest={canRequest} />} empty="No service account matches these filters." />
  );
}
