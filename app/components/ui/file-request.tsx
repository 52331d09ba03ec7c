"use client";
// Buttons and forms that file a request (drift, migration, Blue/Green, expiry):
// the call runs in a transition, an error is shown beside the control, and once
// filed the control gives way to a link to the request, which still needs approval.
import Link from "next/link";
import { useState, useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/core/errors";
import { useHydrated } from "./use-hydrated";

/**
 * `pending` is also true until the page is hydrated: these forms prevent the
 * browser's own submit in a handler React has not attached yet, so a submit in
 * that moment would reload the page with the typed values in its URL.
 */
export function useFileRequest() {
  const [transition, start] = useTransition();
  const hydrated = useHydrated();
  const pending = transition || !hydrated;
  const [result, setResult] = useState<{ id?: string; error?: string } | null>(null);
  const file = (call: () => Promise<ActionResult<{ id: string }>>) =>
    start(async () => {
      const r = await call();
      setResult(r.ok ? { id: r.data.id } : { error: r.error.message });
    });
  return { pending, filing: transition, filedId: result?.id, error: result?.error, file };
}

export function FiledRequestLink({ id, testId, children = "Request filed: awaiting approval" }: { id: string; testId?: string; children?: ReactNode }) {
  return (
    <Link className="text-sm text-blue-700 underline" href={`/requests/${id}`} data-testid={testId}>
      {children}
    </Link>
  );
}

export function FileError({ error, className = "text-xs text-red-700" }: { error?: string; className?: string }) {
  return error ? <span role="alert" className={className}>{error}</span> : null;
}
