import type { RoleQuery } from "@/lib/inventory/views/role-summaries";
import { FilterBar } from "../components/ui";
import { findingsFilter } from "../components/inventory-columns";

const MECHANISMS = [
  { value: "irsa", label: "IRSA" },
  { value: "pod-identity", label: "Pod Identity" },
  { value: "none", label: "No service account" },
];

export function RoleFilters({ query, accounts }: { query: RoleQuery; accounts: string[] }) {
  return (
    <FilterBar
      action="/roles"
      id="role"
      query={query}
      fields={[
        { kind: "select", name: "account", label: "Account", any: "All accounts", options: accounts },
        { kind: "select", name: "mechanism", label: "Mechanism", any: "Any", options: MECHANISMS },
        findingsFilter(),
        { kind: "text", name: "q", label: "Role ARN contains" },
      ]}
    />
  );
}
