"use client";
// The role is picked, never typed: search by name, path or account; each role
// says whether its trust lets Pod Identity in (with sts:TagSession) and whether
// the chosen cluster's node role lets the agent fetch its credentials.
import { useState } from "react";
import type { RoleChoice, TrustBadge } from "@/lib/inventory/views/filing-choices";
import { Combobox } from "./combobox";

const TRUST: Record<TrustBadge, { text: string; tone: string }> = {
  allows: { text: "Trust allows Pod Identity (with TagSession)", tone: "bg-green-100 text-green-950" },
  conditional: { text: "Trust allows Pod Identity under conditions (checked for your service account)", tone: "bg-sky-100 text-sky-950" },
  "no-tagsession": { text: "Trust lacks sts:TagSession", tone: "bg-amber-200 text-amber-950" },
  "not-trusted": { text: "Trust does not allow Pod Identity", tone: "bg-red-100 text-red-950" },
  unreadable: { text: "Trust policy unreadable", tone: "bg-red-100 text-red-950" },
};
/** Roles whose trust already lets Pod Identity in come first. */
const RANK: Record<TrustBadge, number> = { allows: 0, conditional: 1, "no-tagsession": 2, "not-trusted": 3, unreadable: 4 };

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

export function RolePicker({ label, roles, cluster, value, onChange, onLeave, error, optional }: {
  label: string;
  roles: RoleChoice[];
  cluster: string;
  value: string;
  onChange: (arn: string) => void;
  onLeave?: () => void;
  error?: string | null;
  optional?: boolean;
}) {
  const [query, setQuery] = useState("");
  const chosen = roles.find((r) => r.arn === value);
  const sorted = [...roles].sort((a, b) => RANK[a.trust] - RANK[b.trust]);
  return (
    <div className="space-y-1">
      <Combobox
        label={label}
        value={query}
        onChange={setQuery}
        onPick={(arn) => {
          onChange(arn);
          setQuery("");
        }}
        onLeave={onLeave}
        placeholder="Search roles by name, path or account"
        error={error}
        hint={optional ? "Optional: a role in another account that the mapped role chains to." : "Type part of a name; the ARN is filled in for you."}
        empty="No role in the watched accounts matches."
        options={sorted.map((r) => ({
          value: r.arn,
          keywords: [r.name, r.path, r.accountId],
          label: (
            <span className="block" data-testid="role-option">
              <span className="font-medium">{r.name}</span> <span className="text-xs text-slate-600">{r.path !== "/" ? r.path : ""}</span>
              <RoleBadges role={r} cluster={cluster} />
            </span>
          ),
        }))}
      />
      {chosen && (
        <div data-testid={optional ? "chosen-target-role" : "chosen-role"} className="flex flex-wrap items-start justify-between gap-2 rounded border border-slate-300 bg-white p-2 text-sm">
          <span className="min-w-0">
            <span className="block font-medium">{chosen.name}</span>
            <span className="block break-all font-mono text-xs text-slate-700">{chosen.arn}</span>
            <RoleBadges role={chosen} cluster={cluster} />
          </span>
          <button type="button" onClick={() => onChange("")} className="text-xs text-slate-700 underline">Clear</button>
        </div>
      )}
    </div>
  );
}
