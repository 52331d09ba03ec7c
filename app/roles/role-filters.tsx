import type { RoleQuery } from "@/lib/inventory/views/role-summaries";
import { FilterBar } from "../components/ui";

export function RoleFilters({ query, accounts }: { query: RoleQuery; accounts: string[] }) {
  return (
    <FilterBar
      action="/roles"
      id="role"
      clearHref="/roles"
      keep={{ sort: query.sort, dir: query.dir }}
      fields={[
        { kind: "select", name: "account", label: "Account", value: query.account, any: "All accounts", options: accounts },
        { kind: "select", name: "mechanism", label: "Mechanism", value: query.mechanism, any: "Any", options: [{ value: "irsa", label: "IRSA" }, { value: "pod-identity", label: "Pod Identity" }, { value: "none", label: "No service account" }] },
        { kind: "select", name: "findings", label: "Findings", value: query.findings, any: "With or without", options: [{ value: "any", label: "Only with findings" }, { value: "none", label: "Only without findings" }] },
        { kind: "text", name: "q", label: "Role ARN contains", value: query.q },
      ]}
    />
  );
}
