import type { AccessQuery, AccessRow } from "@/lib/inventory/views/access-rows";
import { WORKLOAD_COLUMNS } from "../components/inventory-columns";
import { SortedTable, type SortColumn } from "../components/ui";
import { accessHref } from "./access-href";
import { AccessRowsBody, type AccessRowData } from "./access-rows-body";

const COLUMNS: SortColumn<AccessQuery["sort"]>[] = [
  ...WORKLOAD_COLUMNS,
  { key: "role", label: "Role" },
  { key: "mechanism", label: "How" },
  { key: "severity", label: "Findings" },
];

/** What the client rows get: the shown fields only (a Finding's detail and fix stay on the server until opened). */
export function accessRowData(r: AccessRow): AccessRowData {
  return {
    key: r.key,
    cluster: r.cluster,
    namespace: r.namespace,
    serviceAccount: r.serviceAccount,
    roleArn: r.roleArn,
    mechanism: r.mechanism,
    effective: r.effective,
    ...(r.irsaVia ? { irsaVia: r.irsaVia } : {}),
    ...(r.placement ? { placement: r.placement } : {}),
    findings: r.findings.map((f) => ({ id: f.id, kind: f.kind, severity: f.severity, title: f.title })),
  };
}

/** Per service account -> role rows, findings inline (badges; detail and fix load when opened). */
export function AccessTable({ rows, query, canRequest }: { rows: AccessRow[]; query: AccessQuery; canRequest: boolean }) {
  return (
    <SortedTable testId="access-table" columns={COLUMNS} query={query} href={accessHref} rows={rows} body={<AccessRowsBody rows={rows.map(accessRowData)} canRequest={canRequest} />} empty="No service account matches these filters." />
  );
}
