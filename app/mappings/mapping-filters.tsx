import type { MappingQuery } from "@/lib/inventory/list-mappings";
import { FilterBar } from "../components/ui";

export function MappingFilters({ query, clusters, namespaces }: { query: MappingQuery; clusters: string[]; namespaces: string[] }) {
  return (
    <FilterBar
      action="/mappings"
      id="mapping"
      clearHref="/mappings?view=associations"
      keep={{ view: "associations", sort: query.sort, dir: query.dir, pageSize: query.pageSize }}
      fields={[
        { kind: "select", name: "cluster", label: "Cluster", value: query.cluster, any: "All clusters", options: clusters },
        { kind: "select", name: "namespace", label: "Namespace", value: query.namespace, any: "All namespaces", options: namespaces },
        { kind: "text", name: "q", label: "Service account or role contains", value: query.q, placeholder: "svc-etl, DataLake..." },
      ]}
    />
  );
}
