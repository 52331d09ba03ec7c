"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { resolveDriftAction } from "@/lib/actions/resolve-drift";

const LABELS: Record<string, string> = { adopt: "Adopt", revoke: "Revoke", reapply: "Re-apply", restore: "Restore approved" };

/** The action buttons of one drift finding; each files a request that still needs approval. */
export function DriftActions({ findingKey, actions, allowed }: { findingKey: string; actions: string[]; allowed: boolean }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ id?: string; error?: string } | null>(null);
  if (!allowed) return <span className="text-xs text-slate-500">Your role may not file requests.</span>;
  if (result?.id) {
    return (
      <Link className="text-sm text-blue-700 underline" href={`/requests/${result.id}`}>
        Request filed: awaiting approval
      </Link>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-1">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          disabled={pending}
          data-testid={`drift-${action}`}
          className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50"
          onClick={() =>
            start(async () => {
              const r = await resolveDriftAction({ action, key: findingKey });
              setResult(r.ok ? { id: r.data.id } : { error: r.error.message });
            })
          }
        >
          {LABELS[action] ?? action}
        </button>
      ))}
      {result?.error && <span role="alert" className="text-xs text-red-700">{result.error}</span>}
    </div>
  );
}
