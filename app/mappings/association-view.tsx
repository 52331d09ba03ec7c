import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/sessions";
import { parseMappingQuery } from "@/lib/inventory/list-mappings";
import { mappingsView } from "@/lib/inventory/queries";
import { MappingFilters } from "./mapping-filters";
import { MappingTable } from "./mapping-table";
import { RefreshButton } from "./refresh-button";
import { MappingsViewTabs } from "./view-tabs";
import { PageLinks } from "../components/page-links";
import { queryHref } from "./query-href";
import { PageHeader, Time } from "../components/ui";

/** /mappings?view=associations: the Pod Identity associations cached from EKS, with the Refresh button. */
export async function AssociationView({ user, params }: { user: SessionUser; params: Record<string, string | string[] | undefined> }) {
  const query = parseMappingQuery(params);
  const { result, facets } = await mappingsView(query);
  const failed = facets.clusters.filter((c) => c.lastRefreshError);
  return (
    <section>
      <PageHeader title="Mappings" actions={can(user.role, "mappings:refresh") && <RefreshButton />}>
        <MappingsViewTabs current="associations" />
        <p className="text-sm text-slate-600">
          Every EKS Pod Identity association on the clusters RoleGate watches.{" "}
          <span data-testid="last-refreshed">
            {facets.lastRefresh?.finishedAt ? (
              <>
                Last refreshed <Time at={facets.lastRefresh.finishedAt} /> ({facets.lastRefresh.status}).
              </>
            ) : (
              "Not refreshed yet."
            )}
          </span>
        </p>
      </PageHeader>
      {failed.length > 0 && (
        <div role="alert" className="mb-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {failed.map((c) => (
            <p key={c.name}>
              Cluster <b>{c.name}</b> could not be refreshed: {c.lastRefreshError}. Its rows below are from the last good refresh; check RoleGate&apos;s AWS access to {c.accountId}/{c.region} and refresh again.
            </p>
          ))}
        </div>
      )}
      <MappingFilters query={query} clusters={facets.clusterOptions} namespaces={facets.namespaces} />
      <MappingTable rows={result.rows} query={query} />
      <PageLinks page={query.page} pages={result.pages} total={result.total} pageSize={query.pageSize} hrefFor={(page) => queryHref(query, { page })} testId="mappings-count" />
    </section>
  );
}
