"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { requestExpiryExtensionAction } from "@/lib/actions/request-expiry-extension";

/** Asks for a later expiry of one time-bound mapping; an approver still has to agree. */
export function ExtensionForm({ itemId, current }: { itemId: string; current: string }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ id?: string; error?: string } | null>(null);
  const suggested = new Date(new Date(current).getTime() + 7 * 86400_000).toISOString().slice(0, 16);
  if (result?.id) {
    return (
      <Link className="text-sm text-blue-700 underline" href={`/requests/${result.id}`}>
        Extension requested: awaiting approval
      </Link>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        start(async () => {
          const local = String(f.get("newExpiresAt"));
          const r = await requestExpiryExtensionAction({ itemId, newExpiresAt: new Date(local).toISOString(), justification: String(f.get("justification") ?? "") });
          setResult(r.ok ? { id: r.data.id } : { error: r.error.message });
        });
      }}
    >
      <label className="flex flex-col text-xs">
        New expiry
        <input name="newExpiresAt" type="datetime-local" defaultValue={suggested} required className="rounded border px-1 py-0.5" />
      </label>
      <label className="flex flex-col text-xs">
        Why
        <input name="justification" minLength={10} required placeholder="Still needed because..." className="w-64 rounded border px-1 py-0.5" />
      </label>
      <button type="submit" disabled={pending} data-testid="request-extension" className="rounded bg-slate-900 px-2 py-1 text-xs text-white disabled:opacity-50">
        Request extension
      </button>
      {result?.error && <span role="alert" className="text-xs text-red-700">{result.error}</span>}
    </form>
  );
}
