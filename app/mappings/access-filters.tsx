import type { AccessFacets, AccessQuery } from "@/lib/inventory/views/access-rows";
import { FilterBar } from "../components/ui";
import { findingsFilter, workloadFilters } from "../components/inventory-columns";

const MECHANISM_LABELS = { irsa: "IRSA", "pod-identity": "Pod Identity", both: "Both" } as const;

/** The per-service-account view's filters; each offers only values some row of the scan has. */
export function AccessFilters({ query, facets }: { query: AccessQuery; facets: AccessFacets }) {
  return (
    <FilterBar
      action="/mappings"
      id="access"
      query={query}
      fields={[
        ...workloadFilters(facets.clusters, facets.namespaces),
        { kind: "select", name: "mechanism", label: "Mechanism", any: "Any mechanism", options: facets.mechanisms.map((m) => ({ value: m, label: MECHANISM_LABELS[m] })) },
        { kind: "select", name: "severity", label: "Severity", any: "Any severity", options: facets.severities },
        findingsFilter(facets.kinds),
        { kind: "text", name: "q", label: "Search", placeholder: "svc-etl, DataLake..." },
      ]}
    />
  );
}
