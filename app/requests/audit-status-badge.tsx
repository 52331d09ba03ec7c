import type { RequestAuditStatus } from "@/lib/requests/audit-status";

/** Last audit event of a request and whether its rows verify in the hash chain. */
export function AuditStatusBadge({ status }: { status: RequestAuditStatus | undefined }) {
  if (!status || !status.rows) return <span className="text-slate-500">no audit rows</span>;
  return (
    <span data-testid="audit-status" data-valid={status.valid} title={status.firstBadRow ? `row ${status.firstBadRow.id}: ${status.firstBadRow.reason}` : `${status.rows} row(s) verify`}>
      <span className={status.valid ? "text-green-700" : "font-semibold text-red-700"}>{status.valid ? "✓ verified" : `✗ row ${status.firstBadRow?.id} fails`}</span>
      {status.lastEvent && <span className="ml-1 text-slate-600">· {status.lastEvent.event} by {status.lastEvent.actor}</span>}
    </span>
  );
}
