import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { flatParams } from "@/lib/inventory/views/paging";
import { migrationFacets, migrationQuerySchema, queryMigrationRows, stageOf, STAGE_LABELS, type MigrationQuery } from "@/lib/migration/query";
import { migrationView } from "@/lib/migration/queries";
import type { MigrationRow } from "@/lib/migration/service";
import { PageLinks, searchHref } from "../components/page-links";
import { Arn, FilterBar, SortedTable, Time, type SortColumn } from "../components/ui";
import { workloadFilters } from "../components/inventory-columns";
import { MigrationStep } from "./migration-actions";

export const dynamic = "force-dynamic";

const DEFAULTS = { sort: "cluster", dir: "asc", page: 1, pageSize: 50 };
const href = (q: MigrationQuery, change: Partial<MigrationQuery> = {}) => searchHref("/migration", { ...q, ...change }, DEFAULTS);

const COLUMNS: SortColumn<MigrationQuery["sort"]>[] = [
  { key: "cluster", label: "Cluster" },
  { key: "serviceAccount", label: "Service account" },
  { key: "role", label: "Role" },
  { key: null, label: "IRSA through" },
  { key: null, label: "Runs on" },
  { key: null, label: "Warnings" },
  { key: null, label: "Step 1" },
  { key: null, label: "Step 2" },
  { key: "stage", label: "Next" },
];

function RequestLink({ r }: { r: { requestId: string; status: string } | null }) {
  if (!r) return <span className="text-slate-600">-</span>;
  return (
    <Link className="text-blue-700 underline" href={`/requests/${r.requestId}`}>
      {r.status}
    </Link>
  );
}

/** The one step the row's stage allows; none where Pod Identity cannot work. */
function NextStep({ row, allowed }: { row: MigrationRow; allowed: boolean }) {
  const stage = stageOf(row);
  if (stage === "stays-on-irsa") return <span className="text-xs text-slate-600" data-testid="migration-blocked">{row.blocked}</span>;
  if (stage === "other-association") return <span className="text-xs text-slate-600">Another association exists.</span>;
  if (stage === "migrating") return <span className="text-xs text-slate-600">Step 1 awaiting approval or apply.</span>;
  if (stage === "cleaning-up" || stage === "done") return <span className="text-xs text-slate-600">Clean-up {row.cleanup?.status}.</span>;
  if (!allowed) return <span className="text-xs text-slate-600">Your role may not file requests.</span>;
  if (stage === "to-migrate") return <MigrationStep candidateKey={row.key} step="migrate" label="Migrate (trust, association, restart)" />;
  return <MigrationStep candidateKey={row.key} step="cleanup" label={`Remove IRSA subject on ${row.cluster}`} />;
}

function MigrationRowView({ row, allowed }: { row: MigrationRow; allowed: boolean }) {
  return (
    <tr className="align-top" data-testid="migration-row" data-stage={stageOf(row)}>
      <td className="px-3 py-2 text-xs">{row.cluster}</td>
      <td className="px-3 py-2 font-mono text-xs">{row.namespace}/{row.serviceAccount}</td>
      <td className="px-3 py-2"><Arn arn={row.roleArn} /></td>
      <td className="px-3 py-2 text-xs">{row.sources.join(", ")}</td>
      <td className="px-3 py-2 text-xs" data-testid="migration-placement">{row.placement.summary}</td>
      <td className="px-3 py-2 text-xs text-amber-800">{row.warnings.map((w) => <p key={w}>{w}</p>)}</td>
      <td className="px-3 py-2 text-xs"><RequestLink r={row.migration} /></td>
      <td className="px-3 py-2 text-xs"><RequestLink r={row.cleanup} /></td>
      <td className="px-3 py-2"><NextStep row={row} allowed={allowed} /></td>
    </tr>
  );
}

/** /migration: service accounts still on IRSA, each moved to Pod Identity through approval-gated requests; filtered and paged on the server. */
export default async function MigrationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("inventory:read");
  const query = migrationQuerySchema.parse(flatParams(await searchParams));
  const { rows, scannedAt, total, truncated } = await migrationView();
  const allowed = can(user.role, "requests:create");
  const page = queryMigrationRows(rows, query);
  const facets = migrationFacets(rows);
  return (
    <section>
      <h1 className="text-2xl font-semibold">IRSA to Pod Identity</h1>
      <p className="mb-1 text-sm text-slate-600">
        Service accounts that use IRSA (the <code>eks.amazonaws.com/role-arn</code> annotation or a trust statement naming them), from the scan of{" "}
        {scannedAt ? <Time at={scannedAt} /> : "never: run a scan first"}.
      </p>
      <p className="mb-4 text-sm text-slate-600">
        Step 1 is one request: add the Pod Identity trust statement to the role, create the association, restart the SA&apos;s pods. Once it has applied and the pods run on
        Pod Identity, step 2 removes this SA&apos;s IRSA subject for this cluster only; other service accounts and other clusters keep theirs. Nothing changes without approval.
        No step is offered where Pod Identity cannot work (Fargate, Windows, Outposts, connected clusters).
      </p>
      {truncated && (
        <p className="mb-2 text-sm text-amber-800" role="status">
          The list holds the first {rows.length} of {total} IRSA service accounts (by cluster, namespace and name): filters and pages apply to those.
        </p>
      )}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No service account uses IRSA in the latest scan.</p>
      ) : (
        <>
          <FilterBar
            action="/migration"
            id="migration"
            query={query}
            fields={[
              ...workloadFilters(facets.clusters, facets.namespaces),
              { kind: "select", name: "stage", label: "Stage", any: "Any stage", options: facets.stages.map((s) => ({ value: s, label: STAGE_LABELS[s] })) },
              { kind: "text", name: "q", label: "Search", placeholder: "svc-etl, DataLake..." },
            ]}
          />
          <SortedTable
            testId="migration-table"
            columns={COLUMNS}
            query={query}
            href={href}
            rows={page.rows}
            row={(r) => <MigrationRowView key={r.key} row={r} allowed={allowed} />}
            empty="No service account matches. Clear the filters."
          />
          <PageLinks page={page.page} pages={page.pages} total={page.total} pageSize={page.pageSize} hrefFor={(p) => href(query, { page: p })} testId="migration-count" />
        </>
      )}
    </section>
  );
}
