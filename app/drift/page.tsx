import { can } from "@/lib/auth/permissions";
import { getConfig } from "@/lib/config";
import { requireUser } from "@/lib/auth/require-user";
import { findingsOfKind, type DriftFinding, type DriftKind } from "@/lib/drift/compute";
import { driftView } from "@/lib/drift/queries";
import { RefreshButton } from "../mappings/refresh-button";
import { BaselineButton } from "./baseline-button";
import { BulkSelect } from "./bulk-select";
import { flatParams } from "@/lib/inventory/views/paging";
import { PageLinks, searchHref } from "../components/page-links";
import { DataTable, PageHeader } from "../components/ui";
import { DriftRows } from "./drift-rows";
import { driftRowData } from "./drift-row-data";

export const dynamic = "force-dynamic";

const SECTIONS: { kind: DriftKind; title: string; help: string }[] = [
  { kind: "out-of-band", title: "Created outside RoleGate", help: "Associations in AWS that no applied request accounts for. Adopt records them as managed (no AWS change); revoke deletes them." },
  { kind: "missing", title: "Approved but missing in AWS", help: "Associations RoleGate applied that AWS no longer has. Re-apply creates them again with the approved parameters." },
  { kind: "changed", title: "Changed outside RoleGate", help: "Associations whose role, target role or session-tags setting differs from what was approved." },
];

// A section shows a page of its rows: an estate taken over late has every association "created outside RoleGate".
const PAGE_SIZE = 50;
const SET_APART_SHOWN = 50;
const pageParam = (kind: DriftKind) => `${kind}-page`;

function sectionPages(params: Record<string, string | string[] | undefined>): Record<DriftKind, number> {
  const read = (kind: DriftKind) => {
    const n = Number(flatParams(params)[pageParam(kind)]);
    return Number.isInteger(n) && n >= 1 ? n : 1;
  };
  return { "out-of-band": read("out-of-band"), missing: read("missing"), changed: read("changed") };
}

function pageOf(all: { total: number; slice(from: number, to: number): DriftFinding[] }, requested: number) {
  const pages = Math.max(1, Math.ceil(all.total / PAGE_SIZE));
  const page = Math.min(requested, pages);
  return { page, pages, rows: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) };
}

function sectionHref(pages: Record<DriftKind, number>, kind: DriftKind, page: number): string {
  const values = Object.fromEntries(Object.entries({ ...pages, [kind]: page }).map(([k, v]) => [pageParam(k as DriftKind), v]));
  return `${searchHref("/drift", values, Object.fromEntries(Object.keys(pages).map((k) => [pageParam(k as DriftKind), 1])))}#drift-${kind}`;
}

/** /drift: what RoleGate approved against the association cache of the last refresh. */
export default async function DriftPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("mappings:read");
  const params = await searchParams;
  const drift = await driftView();
  const report = drift.report;
  // The estate baseline (admins): what one request would adopt, and what is set apart for its findings.
  const baseline = report.counts["out-of-band"] > 0 ? await drift.baseline() : null;
  const pages = sectionPages(params);
  const canAct = can(user.role, "requests:create");
  const failed = report.clusters.filter((c) => c.lastRefreshError);
  return (
    <section>
      <PageHeader title="Drift" actions={can(user.role, "mappings:refresh") && <RefreshButton />}>
        <p className="text-sm text-slate-600">
          Compared with the association cache of the last mappings refresh ({report.clusters.length} clusters).{" "}
          {getConfig().events ? "Change events keep it current: a change made in AWS shows here within seconds. A refresh reconciles everything." : "Refresh to check again."}
        </p>
        {failed.length > 0 && (
          <p className="text-sm text-amber-700">
            Not checked for missing associations (last refresh failed): {failed.map((c) => c.name).join(", ")}.
          </p>
        )}
      </PageHeader>
      {baseline && (
        <div data-testid="baseline" className="mb-6 rounded border bg-white p-3 text-sm">
          <h2 className="text-lg font-semibold">Take over the existing estate</h2>
          <p className="text-slate-600">
            Adopt every association created outside RoleGate in one request ({baseline.summary.total}: {Object.entries(baseline.summary.byCluster).map(([c, n]) => `${c} ${n}`).join(", ")}). Afterwards drift shows only what changes later.
            {!baseline.scanned && " No inventory scan yet: run one so findings can be checked."}
          </p>
          {can(user.role, "drift:baseline") && <BaselineButton adoptable={baseline.adopt.length} setApart={baseline.setApart.length} />}
          {baseline.setApart.length > 0 && (
            <>
              <h3 className="mt-3 font-semibold">Set apart for a decision ({baseline.setApart.length}): adopt or revoke each below</h3>
              <ul data-testid="set-apart" className="text-xs">
                {baseline.setApart.slice(0, SET_APART_SHOWN).map((s) => <li key={s.finding.key}><span className="font-mono">{s.finding.cluster} {s.finding.namespace}/{s.finding.serviceAccount}</span>: {s.findings.map((f) => `${f.severity}: ${f.title}`).join("; ")}</li>)}
              </ul>
              {baseline.setApart.length > SET_APART_SHOWN && <p className="text-xs text-slate-600">and {baseline.setApart.length - SET_APART_SHOWN} more: each is a row of the table below, to adopt or revoke.</p>}
            </>
          )}
        </div>
      )}
      {SECTIONS.map(({ kind, title, help }) => {
        const all = findingsOfKind(report, kind);
        const page = pageOf(all, pages[kind]);
        const rows = page.rows;
        return (
          <div key={kind} id={`drift-${kind}`} data-testid={`drift-${kind}`} className="mb-6">
            <h2 className="text-lg font-semibold">
              {title} <span className="text-sm font-normal text-slate-500">({all.total})</span>
            </h2>
            <p className="mb-2 text-sm text-slate-600">{help}</p>
            {canAct && kind !== "missing" && rows.length > 1 && (
              <BulkSelect rows={rows.map((f) => ({ key: f.key, label: `${f.cluster} ${f.namespace}/${f.serviceAccount}`, revocable: !f.actual?.ownerArn }))} actions={["adopt", "revoke"]} />
            )}
            {rows.length === 0 ? (
              <p className="text-sm text-slate-500">None.</p>
            ) : (
              <DataTable head={["Cluster", "Service account", "Approved", "In AWS", "What differs", "Actions"]}>
                <DriftRows rows={rows.map(driftRowData)} allowed={canAct} />
              </DataTable>
            )}
            {page.pages > 1 && <PageLinks page={page.page} pages={page.pages} total={all.total} pageSize={PAGE_SIZE} hrefFor={(p) => sectionHref(pages, kind, p)} testId={`drift-${kind}-count`} />}
          </div>
        );
      })}
    </section>
  );
}
