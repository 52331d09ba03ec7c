"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { bulkResolveDriftAction } from "@/lib/actions/bulk-resolve-drift";

/** Bulk selection over one drift section: tick rows (or all shown), then adopt or revoke them in ONE request. */
export function BulkSelect({ rows, actions }: { rows: { key: string; label: string; revocable: boolean }[]; actions: ("adopt" | "revoke")[] }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState("");
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ id?: string; error?: string } | null>(null);
  const shown = rows.filter((r) => r.label.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (k: string) => setSelected((s) => { const n = new Set(s); if (n.has(k)) n.delete(k); else n.add(k); return n; });
  if (result?.id) return <Link className="text-sm text-blue-700 underline" href={`/requests/${result.id}`}>One request filed for {selected.size} association(s): awaiting approval</Link>;
  return (
    <details className="mb-2 rounded border bg-white p-2 text-sm">
      <summary className="cursor-pointer">Select several ({selected.size} selected)</summary>
      <div className="my-2 flex flex-wrap items-center gap-2">
        <input aria-label="Filter" placeholder="filter by cluster, namespace, SA" value={filter} onChange={(e) => setFilter(e.target.value)} className="rounded border p-1 text-xs" />
        <button type="button" className="rounded border px-2 py-0.5 text-xs" onClick={() => setSelected((s) => new Set([...s, ...shown.map((r) => r.key)]))}>Select all shown ({shown.length})</button>
        <button type="button" className="rounded border px-2 py-0.5 text-xs" onClick={() => setSelected(new Set())}>Clear</button>
        {actions.map((a) => (
          <button key={a} type="button" disabled={pending || selected.size === 0} data-testid={`bulk-${a}`} className="rounded bg-slate-900 px-2 py-0.5 text-xs text-white disabled:opacity-50"
            onClick={() => start(async () => { const r = await bulkResolveDriftAction({ action: a, keys: [...selected] }); setResult(r.ok ? { id: r.data.id } : { error: r.error.message }); })}>
            {a === "adopt" ? "Adopt selected" : "Revoke selected"}
          </button>
        ))}
        {result?.error && <span role="alert" className="text-xs text-red-700">{result.error}</span>}
      </div>
      <ul className="max-h-64 overflow-auto">
        {shown.map((r) => (
          <li key={r.key}><label className="font-mono text-xs"><input type="checkbox" checked={selected.has(r.key)} onChange={() => toggle(r.key)} /> {r.label}{r.revocable ? "" : " (add-on owned: adopt only)"}</label></li>
        ))}
      </ul>
    </details>
  );
}
