import type { FindingKind } from "@/lib/inventory/analysis";
import type { AccessQuery } from "@/lib/inventory/views/access-rows";
import { FilterBar } from "../components/ui";
import { findingsFilter, workloadFilters } from "../components/inventory-columns";

const MECHANISMS = [
  { value: "irsa", label: "IRSA" },
  { value: "pod-identity", label: "Pod Identity" },
  { value: "both", label: "Both" },
];

/** The per-service-account view's filters. */
export function AccessFilters({ query, clusters, namespaces, kinds }: { query: AccessQuery; clusters: string[]; namespaces: string[]; kinds: FindingKind[] }) {
  return (
    <FilterBar
      action="/mappings"
      id="access"
      query={query}
      fields={[
        ...workloadFilters(clusters, namespaces),
        { kind: "select", name: "mechanism", label: "Mechanism", any: "Any mechanism", options: MECHANISMS },
        { kind: "select", name: "kind", label: "Finding", any: "Any finding or none", options: kinds },
        { kind: "select", name: "severity", label: "Severity", any: "Any severity", options: ["high", "medium", "low", "info"] },
        findingsFilter,
        { kind: "text", name: "q", label: "Search", placeholder: "svc-etl, DataLake..." },
      ]}
    />
  );
}
