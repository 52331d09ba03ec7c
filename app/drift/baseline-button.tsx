"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { adoptBaselineAction } from "@/lib/actions/adopt-baseline";

/** Admins: adopt the estate (minus the associations with findings) as the baseline, in one request. */
export function BaselineButton({ adoptable, setApart }: { adoptable: number; setApart: number }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ id?: string; error?: string } | null>(null);
  if (result?.id) return <Link className="text-sm text-blue-700 underline" href={`/requests/${result.id}`}>Baseline request filed: awaiting approval</Link>;
  return (
    <span>
      <button type="button" disabled={pending || adoptable === 0} data-testid="adopt-baseline" className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-50" onClick={() => start(async () => { const r = await adoptBaselineAction({}); setResult(r.ok ? { id: r.data.id } : { error: r.error.message }); })}>
        Adopt estate as baseline ({adoptable}; {setApart} with findings set apart)
      </button>
      {result?.error && <span role="alert" className="ml-2 text-sm text-red-700">{result.error}</span>}
    </span>
  );
}
