"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { cleanUpRetiredIssuerAction } from "@/lib/actions/clean-up-retired-issuer";
import { copyMappingsToGreenAction } from "@/lib/actions/copy-mappings-to-green";
import { repointIrsaToGreenAction } from "@/lib/actions/repoint-irsa-to-green";

type Props =
  | { kind: "copy" | "repoint"; blue: string; green: string; label: string; allowed: boolean }
  | { kind: "cleanup"; issuer: string; label: string; allowed: boolean };

/** Files one Blue/Green request (copy, re-point or clean-up); nothing changes before it is approved. */
export function BlueGreenAction(props: Props) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ id?: string; error?: string } | null>(null);
  if (!props.allowed) return <span className="text-xs text-slate-500">Your role may not file requests.</span>;
  if (result?.id) {
    return (
      <Link className="text-sm text-blue-700 underline" href={`/requests/${result.id}`} data-testid={`bluegreen-${props.kind}-filed`}>
        Request filed: awaiting approval
      </Link>
    );
  }
  const run = async () => {
    const r =
      props.kind === "cleanup"
        ? await cleanUpRetiredIssuerAction({ issuer: props.issuer })
        : props.kind === "copy"
          ? await copyMappingsToGreenAction({ blue: props.blue, green: props.green })
          : await repointIrsaToGreenAction({ blue: props.blue, green: props.green });
    setResult(r.ok ? { id: r.data.id } : { error: r.error.message });
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={pending}
        data-testid={`bluegreen-${props.kind}`}
        className="rounded bg-slate-800 px-3 py-1 text-sm text-white hover:bg-slate-700 disabled:opacity-50"
        onClick={() => start(run)}
      >
        {pending ? "Filing…" : props.label}
      </button>
      {result?.error && <span role="alert" className="text-xs text-red-700">{result.error}</span>}
    </span>
  );
}
