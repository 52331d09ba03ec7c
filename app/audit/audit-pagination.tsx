import Link from "next/link";
import type { AuditQuery } from "@/lib/audit/query";
import { auditHref } from "./audit-href";

export function AuditPagination({ query, total, pages }: { query: AuditQuery; total: number; pages: number }) {
  const first = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1;
  const last = Math.min(total, query.page * query.pageSize);
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center justify-between text-sm text-slate-600">
      <span data-testid="audit-count">
        {first}–{last} of {total}
      </span>
      <div className="flex items-center gap-2">
        {query.page > 1 ? <Link className="rounded border px-2 py-1 hover:bg-slate-100" href={auditHref(query, { page: query.page - 1 })}>Previous</Link> : <span className="px-2 py-1 opacity-40">Previous</span>}
        <span>
          Page {Math.min(query.page, pages)} of {pages}
        </span>
        {query.page < pages ? <Link className="rounded border px-2 py-1 hover:bg-slate-100" href={auditHref(query, { page: query.page + 1 })}>Next</Link> : <span className="px-2 py-1 opacity-40">Next</span>}
      </div>
    </nav>
  );
}
