import { requireUser } from "@/lib/auth/require-user";
import { auditScope } from "@/lib/auth/audit-scope";
import { can } from "@/lib/auth/permissions";
import { parseAuditQuery } from "@/lib/audit/query";
import { auditView } from "@/lib/audit/queries";
import { AuditFilters } from "./audit-filters";
import { PageLinks } from "../components/page-links";
import { auditHref, exportHref } from "./audit-href";
import { AuditTable } from "./audit-table";
import { ChainStatus } from "./chain-status";
import { PageHeader } from "../components/ui";

export const dynamic = "force-dynamic";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("audit:read");
  const { query, errors } = parseAuditQuery(await searchParams);
  const { result, actors, events, approvals } = await auditView(query, auditScope(user));
  const link = "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100";
  return (
    <section>
      <PageHeader
        title="Audit"
        actions={
          <div className="flex items-center gap-2">
            <a className={link} href={exportHref(query, "csv")} download>Export CSV</a>
            <a className={link} href={exportHref(query, "json")} download>Export JSON</a>
          </div>
        }
      >
        <p className="text-sm text-slate-600">
          Every sign-in, request, decision and change, written in the same transaction as the change. Rows are hash-chained and the database refuses to edit or delete them.
        </p>
      </PageHeader>
      <div className="mb-4">{can(user.role, "audit:verify") && <ChainStatus />}</div>
      {Object.keys(errors).length > 0 && (
        <div role="alert" className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          Some filters were ignored: {Object.entries(errors).map(([k, v]) => `${k} ${v}`).join("; ")}.
        </div>
      )}
      <AuditFilters query={query} actors={actors.map((a) => a.actor)} events={events.map((e) => e.event)} />
      <AuditTable rows={result.rows} query={query} approvals={approvals} />
      <PageLinks page={query.page} pages={result.pages} total={result.total} pageSize={query.pageSize} hrefFor={(page) => auditHref(query, { page })} testId="audit-count" />
    </section>
  );
}
