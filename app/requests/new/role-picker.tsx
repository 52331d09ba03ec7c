"use client";
// The role is picked, never typed: search by name, path or account; each role
// says whether its trust lets Pod Identity in (with sts:TagSession) and whether
// the chosen cluster's node role lets the agent fetch its credentials. The
// server searches (5,000 roles are not sent to the browser); Pod Identity-trusted
// roles come first.
import { useState } from "react";
import type { RoleChoice, TrustBadge } from "@/lib/inventory/views/filing-choices";
import { Combobox } from "./combobox";
import { useServerSearch, useSettled } from "./use-search";

const TRUST: Record<TrustBadge, { text: string; tone: string }> = {
  allows: { text: "Trust allows Pod Identity (with TagSession)", tone: "bg-green-100 text-green-950" },
  conditional: { text: "Trust allows Pod Identity under conditions (checked for your service account)", tone: "bg-sky-100 text-sky-950" },
  "no-tagsession": { text: "Trust lacks sts:TagSession", tone: "bg-amber-200 text-amber-950" },
  "not-trusted": { text: "Trust does not allow Pod Identity", tone: "bg-red-100 text-red-950" },
  unreadable: { text: "Trust policy unreadable", tone: "bg-red-100 text-red-950" },
};

export function RoleBadges({ role, cluster }: { role: RoleChoice; cluster: string }) {
  const trust = TRUST[role.trust];
  const covered = !role.nodeRoleMissingOn.includes(cluster);
  return (
    <span className="flex flex-wrap gap-1 text-xs">
      <span data-testid="trust-badge" data-trust={role.trust} className={`rounded px-1.5 ${trust.tone}`}>{trust.text}</span>
      {cluster && (
        <span data-testid="node-role-badge" data-covered={covered} className={`rounded px-1.5 ${covered ? "bg-green-100 text-green-950" : "bg-amber-200 text-amber-950"}`}>
          {covered ? `Node role covers it on ${cluster}` : `Node role on ${cluster} does not cover it`}
        </span>
      )}
      <span className="rounded bg-slate-100 px-1.5 text-slate-800">account {role.accountId}</span>
    </span>
  );
}

const PAGE = 20;

/**
 * The picker searches the watched accounts' roles on the server (GET /api/v1/role-choices) as the text settles;
 * before anything is typed it offers `suggestions`, the first page the page was rendered with.
 */
export function RolePicker({ label, suggestions, total, known, cluster, value, onChange, onLeave, error, optional }: {
  label: string;
  suggestions: RoleChoice[];
  /** How many roles the watched accounts have. */
  total: number;
  /** The chosen role as the server knows it (a pre-filled one). */
  known?: RoleChoice | undefined;
  cluster: string;
  value: string;
  onChange: (arn: string) => void;
  onLeave?: () => void;
  error?: string | null;
  optional?: boolean;
}) {
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<RoleChoice | undefined>(known);
  const q = useSettled(query.trim());
  const search = useServerSearch<{ roles: RoleChoice[]; total: number }>({ key: "role-choices", path: "/api/v1/role-choices", params: { q, limit: String(PAGE) }, what: "search the roles", enabled: q !== "" });
  const typing = query.trim() !== q || (q !== "" && search.isFetching);
  const roles = q === "" ? suggestions : search.data?.roles ?? [];
  const found = q === "" ? total : search.data?.total ?? 0;
  // A role set from outside (a precheck's "use the role's real ARN") is shown by its ARN alone.
  const chosen = picked?.arn === value ? picked : undefined;
  const more = found > roles.length ? ` Showing ${roles.length} of ${found.toLocaleString("en-US")}: type more of the name to narrow.` : "";
  return (
    <div className="space-y-1">
      <Combobox
        label={label}
        value={query}
        onChange={setQuery}
        onPick={(arn) => {
          setPicked(roles.find((r) => r.arn === arn));
          onChange(arn);
          setQuery("");
        }}
        onLeave={onLeave}
        filter={false}
        busy={typing}
        placeholder="Search roles by name, path or account"
        error={error ?? (search.isError ? search.error.message : null)}
        hint={`${optional ? "Optional: a role in another account that the mapped role chains to." : "Type part of a name; the ARN is filled in for you."}${more}`}
        empty="No role in the watched accounts matches."
        options={roles.map((r) => ({
          value: r.arn,
          label: (
            <span className="block" data-testid="role-option">
              <span className="font-medium">{r.name}</span> <span className="text-xs text-slate-600">{r.path !== "/" ? r.path : ""}</span>
              <RoleBadges role={r} cluster={cluster} />
            </span>
          ),
        }))}
      />
      {value && (
        <div data-testid={optional ? "chosen-target-role" : "chosen-role"} className="flex flex-wrap items-start justify-between gap-2 rounded border border-slate-300 bg-white p-2 text-sm">
          <span className="min-w-0">
            <span className="block font-medium">{chosen?.name ?? value.split("/").pop()}</span>
            <span className="block break-all font-mono text-xs text-slate-700">{value}</span>
            {chosen && <RoleBadges role={chosen} cluster={cluster} />}
          </span>
          <button type="button" onClick={() => onChange("")} className="text-xs text-slate-700 underline">Clear<span className="sr-only"> {label.toLowerCase()}</span></button>
        </div>
      )}
    </div>
  );
}
