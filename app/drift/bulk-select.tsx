"use client";
import { useState } from "react";
import { bulkResolveDriftAction } from "@/lib/actions/bulk-resolve-drift";
import { FileError, FiledRequestLink, useFileRequest } from "../components/ui/file-request";

/** Bulk selection over one drift section: tick rows (or all shown), then adopt or revoke them in ONE request. */
export function BulkSelect({ rows, actions }: { rows: { key: string; label: string; revocable: boolean }[]; actions: ("adopt" | "revoke")[] }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState("");
  const { pending, filedId, error, file } = useFileRequest();
  const shown = rows.filter((r) => r.label.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (k: string) => setSelected((s) => { const n = new Set(s); if (n.has(k)) n.delete(k); else n.add(k); return n; });
  if (filedId) return <FiledRequestLink id={filedId}>One request filed for {selected.size} association(s): awaiting approval</FiledRequestLink>;
  return (
    <details className="mb-2 rounded border bg-white p-2 text-sm">
      <summary className="cursor-pointer">Select several ({selected.size} selected)</summary>
      <div className="my-2 flex flex-wrap items-center gap-2">
        <input aria-label="Filter" placeholder="filter by cluster, namespace, SA" value={filter} onChange={(e) => setFilter(e.target.value)} className="rounded border p-1 text-xs" />
        <button type="button" className="rounded border px-2 py-0.5 text-xs" onClick={() => setSelected((s) => new Set([...s, ...shown.map((r) => r.key)]))}>Select all shown ({shown.length})</button>
        <button type="button" className="rounded border px-2 py-0.5 text-xs" onClick={() => setSelected(new Set())}>Clear</button>
        {actions.map((a) => (
          <button key={a} type="button" disabled={pending || selected.size === 0} data-testid={`bulk-${a}`} className="rounded bg-slate-900 px-2 py-0.5 text-xs text-white disabled:opacity-50"
            onClick={() => file(() => bulkResolveDriftAction({ action: a, keys: [...selected] }))}>
            {a === "adopt" ? "Adopt selected" : "Revoke selected"}
          </button>
        ))}
        <FileError error={error} />
      </div>
      <ul className="max-h-64 overflow-auto">
        {shown.map((r) => (
          <li key={r.key}><label className="font-mono text-xs"><input type="checkbox" checked={selected.has(r.key)} onChange={() => toggle(r.key)} /> {r.label}{r.revocable ? "" : " (add-on owned: adopt only)"}</label></li>
        ))}
      </ul>
    </details>
  );
}
