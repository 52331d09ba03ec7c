import type { MappingQuery } from "@/lib/inventory/list-mappings";
import { FilterBar } from "../components/ui";
import { workloadFilters } from "../components/inventory-columns";

export function MappingFilters({ query, clusters, namespaces }: { query: MappingQuery; clusters: string[]; namespaces: string[] }) {
  return (
    <FilterBar
      action="/mappings"
      id="mapping"
      clearHref="/mappings?view=associations"
      keep={{ view: "associations" }}
      query={query}
      fields={[
        ...workloadFilters(clusters, namespaces),
        { kind: "text", name: "q", label: "Service account or role contains", placeholder: "svc-etl, DataLake..." },
      ]}
    />
  );
}
