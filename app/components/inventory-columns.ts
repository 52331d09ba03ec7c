// The filters and columns the inventory views (/mappings, /roles) share.
import type { FilterField, SortColumn } from "./ui";

/** Where the workload runs: the filters both /mappings views start with. */
export const workloadFilters = (clusters: string[], namespaces: string[]): FilterField[] => [
  { kind: "select", name: "cluster", label: "Cluster", any: "All clusters", options: clusters },
  { kind: "select", name: "namespace", label: "Namespace", any: "All namespaces", options: namespaces },
];

const FINDINGS_YES_NO = [
  { value: "any", label: "Only with findings" },
  { value: "none", label: "Only without findings" },
];

/** Yes/no on findings, as the role view filters them; the access view adds the kinds (findingsFilter(kinds)). */
export function findingsFilter(kinds: readonly string[] = []): FilterField {
  return {
    kind: "select",
    name: "findings",
    label: "Findings",
    any: "With or without",
    options: [...FINDINGS_YES_NO, ...kinds.map((k) => ({ value: k, label: `Only ${k}` }))],
  };
}

/** Where the workload runs and who it is: the columns both /mappings tables start with. */
export const WORKLOAD_COLUMNS = [
  { key: "cluster", label: "Cluster" },
  { key: "namespace", label: "Namespace" },
  { key: "serviceAccount", label: "Service account" },
] as const satisfies SortColumn<"cluster" | "namespace" | "serviceAccount">[];
