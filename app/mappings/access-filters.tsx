import type { FindingKind } from "@/lib/inventory/analysis";
import type { AccessQuery } from "@/lib/inventory/views/access-rows";
import { FilterBar } from "../components/ui";

/** The per-service-account view's filters. */
export function AccessFilters({ query, clusters, namespaces, kinds }: { query: AccessQuery; clusters: string[]; namespaces: string[]; kinds: FindingKind[] }) {
  return (
    <FilterBar
      action="/mappings"
      id="access"
      clearHref="/mappings"
      keep={{ sort: query.sort, dir: query.dir, pageSize: query.pageSize }}
      fields={[
        { kind: "select", name: "cluster", label: "Cluster", value: query.cluster, any: "All clusters", options: clusters },
        { kind: "select", name: "namespace", label: "Namespace", value: query.namespace, any: "All namespaces", options: namespaces },
        {
          kind: "select",
          name: "mechanism",
          label: "Mechanism",
          value: query.mechanism,
          any: "Any mechanism",
          options: [
            { value: "irsa", label: "IRSA" },
            { value: "pod-identity", label: "Pod Identity" },
            { value: "both", label: "Both" },
          ],
        },
        { kind: "select", name: "kind", label: "Finding", value: query.kind, any: "Any finding or none", options: kinds },
        { kind: "select", name: "severity", label: "Severity", value: query.severity, any: "Any severity", options: ["high", "medium", "low", "info"] },
        {
          kind: "select",
          name: "findings",
          label: "Findings",
          value: query.findings,
          any: "With or without",
          options: [
            { value: "any", label: "Only with findings" },
            { value: "none", label: "Only without findings" },
          ],
        },
        { kind: "text", name: "q", label: "Search", value: query.q, placeholder: "svc-etl, DataLake..." },
      ]}
    />
  );
}
