import type { SessionUser } from "@/lib/auth/sessions";
import { accessFacets, accessQuerySchema, queryAccessRows } from "@/lib/inventory/views/access-rows";
import { appliedSinceScan, inventoryView } from "@/lib/inventory/queries";
import { flatParams } from "@/lib/inventory/views/paging";
import { can } from "@/lib/auth/permissions";
import { NoScanYet } from "../components/no-scan-yet";
import { PageLinks } from "../components/page-links";
import { AccessFilters } from "./access-filters";
import { accessHref } from "./access-href";
import { AccessTable } from "./access-table";
import { AppliedSinceScan } from "./applied-since-scan";
import { MappingsViewTabs } from "./view-tabs";
import { Time } from "../components/ui";

/** Default /mappings view: per service account, every role it can reach and how, from the latest scan. */
export async function AccessView({ user, params }: { user: SessionUser; params: Record<string, string | string[] | undefined> }) {
  const query = accessQuerySchema.parse(flatParams(params));
  const view = await inventoryView();
  const header = (
    <div className="mb-4">
      <h1 className="text-2xl font-semibold">Mappings</h1>
      <MappingsViewTabs current="access" />
      <p className="mt-1 text-sm text-slate-600">
        Every service account that can become an IAM role, through IRSA (the role&apos;s trust policy) or EKS Pod Identity (an association), with what is wrong.{" "}
        {view && <span data-testid="scanned-at">From the scan of <Time at={view.scannedAt} /> ({view.scanStatus}).</span>}
      </p>
    </div>
  );
  if (!view) return <section>{header}<NoScanYet canScan={can(user.role, "inventory:scan")} /></section>;
  const page = queryAccessRows(view.accessRows, query);
  const applied = await appliedSinceScan(view.scannedAt);
  return (
    <section>
      {header}
      <AppliedSinceScan items={applied} />
      <AccessFilters query={query} facets={accessFacets(view.accessRows)} />
      <AccessTable rows={page.rows} query={{ ...query, page: page.page }} canRequest={can(user.role, "requests:create")} />
      <PageLinks page={page.page} pages={page.pages} total={page.total} pageSize={page.pageSize} hrefFor={(p) => accessHref(query, { page: p })} testId="access-count" />
    </section>
  );
}
