"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { migrateToPodIdentityAction } from "@/lib/actions/migrate-to-pod-identity";
import { removeIrsaSubjectAction } from "@/lib/actions/remove-irsa-subject";

/** One migration step button; the step is filed as a request that still needs approval. */
export function MigrationStep({ candidateKey, step, label }: { candidateKey: string; step: "migrate" | "cleanup"; label: string }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ id?: string; error?: string } | null>(null);
  if (result?.id) {
    return (
      <Link className="text-sm text-blue-700 underline" href={`/requests/${result.id}`}>
        Request filed: awaiting approval
      </Link>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      <button
        type="button"
        disabled={pending}
        data-testid={`migration-${step}`}
        className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50"
        onClick={() =>
          start(async () => {
            const r = step === "migrate" ? await migrateToPodIdentityAction({ key: candidateKey }) : await removeIrsaSubjectAction({ key: candidateKey });
            setResult(r.ok ? { id: r.data.id } : { error: r.error.message });
          })
        }
      >
        {pending ? "Filing..." : label}
      </button>
      {result?.error && <span role="alert" className="max-w-xs text-xs text-red-700">{result.error}</span>}
    </div>
  );
}
