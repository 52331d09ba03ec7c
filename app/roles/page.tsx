import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { inventoryView } from "@/lib/inventory/queries";
import { flatParams } from "@/lib/inventory/views/paging";
import { queryRoles, roleHref, roleQuerySchema, type RoleQuery } from "@/lib/inventory/views/role-summaries";
import { NoScanYet } from "../components/no-scan-yet";
import { PageLinks, searchHref } from "../components/page-links";
import { MechanismBadge, SeverityBadge } from "../components/severity-badge";
import { SortedTable, type SortColumn } from "../components/ui";
import { RoleFilters } from "./role-filters";

export const dynamic = "force-dynamic";

const DEFAULTS = { sort: "name", dir: "asc", page: 1, pageSize: 50 };
const href = (q: RoleQuery, change: Partial<RoleQuery>) => searchHref("/roles", { ...q, ...change }, DEFAULTS);

const COLUMNS: SortColumn<RoleQuery["sort"]>[] = [
  { key: "name", label: "Role" },
  { key: "account", label: "Account" },
  { key: null, label: "Mechanisms" },
  { key: "assumers", label: "Who can assume" },
  { key: "findings", label: "Findings" },
];

export default async function RolesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("inventory:read");
  const query = roleQuerySchema.parse(flatParams(await searchParams));
  const view = await inventoryView();
  if (!view) return <section><h1 className="mb-4 text-2xl font-semibold">Roles</h1><NoScanYet canScan={can(user.role, "inventory:scan")} /></section>;
  const page = queryRoles(view.roles, query);
  const accounts = [...new Set(view.roles.map((r) => r.accountId))].sort();
  return (
    <section>
      <h1 className="text-2xl font-semibold">Roles</h1>
      <p className="mb-4 text-sm text-slate-600">Every IAM role of the watched accounts: which service accounts can assume it, and how.</p>
      <RoleFilters query={query} accounts={accounts} />
      <SortedTable
        testId="roles-table"
        columns={COLUMNS}
        query={query}
        href={href}
        rows={page.rows}
        row={(r) => (
          <tr key={r.arn} data-testid="role-row">
            <td className="px-3 py-2">
              <Link href={roleHref(r.arn)} className="font-medium text-indigo-700 hover:underline">{r.name}</Link>
              {r.path !== "/" && <span className="ml-1 text-xs text-slate-500">{r.path}</span>}
            </td>
            <td className="px-3 py-2">{r.accountId}</td>
            <td className="space-x-1 px-3 py-2">{r.mechanisms.length ? r.mechanisms.map((m) => <MechanismBadge key={m} mechanism={m} />) : <span className="text-xs text-slate-500">none</span>}</td>
            <td className="px-3 py-2">
              {r.assumers} service account{r.assumers === 1 ? "" : "s"}
              {r.patterns.length > 0 && <div className="text-xs text-slate-500">{r.patterns.join("; ")}</div>}
            </td>
            <td className="px-3 py-2">{r.severity ? <SeverityBadge severity={r.severity} count={r.findings} /> : <span className="text-xs text-slate-500">none</span>}</td>
          </tr>
        )}
      />
      <PageLinks page={page.page} pages={page.pages} total={page.total} pageSize={page.pageSize} hrefFor={(p) => href(query, { page: p })} testId="roles-count" />
    </section>
  );
}
