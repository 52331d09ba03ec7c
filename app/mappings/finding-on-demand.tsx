"use client";
// A finding in a long list: the page sends its headline only, and its detail
// and fix (policy JSON and diff, often kilobytes each) are read from
// GET /api/v1/findings?id= the first time the person opens it. At 10,000
// mappings, rendering every fix inline made /mappings a megabyte of HTML.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { Finding } from "@/lib/inventory/analysis";
import { FINDING_FRAME, FindingBody, FindingSummary, type FindingHeadline } from "../components/finding-details";

async function readFinding(id: string, signal: AbortSignal): Promise<Finding | null> {
  const res = await fetch(`/api/v1/findings?${new URLSearchParams({ id })}`, { signal, headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as { rows?: Finding[]; error?: { message?: string } } | null;
  if (!res.ok) throw new Error(`Could not load this finding (${body?.error?.message ?? `HTTP ${res.status}`}). Close and open it again; if it keeps failing, reload the page.`);
  return body?.rows?.[0] ?? null;
}

/**
 * The list renders 50 of these per page: until one is opened it is plain markup, with no query hook, so the
 * server renders a page of them without setting up 50 query observers.
 */
export function FindingOnDemand({ finding, canRequest }: { finding: FindingHeadline; canRequest: boolean }) {
  const [opened, setOpened] = useState(false);
  const ref = useRef<HTMLDetailsElement>(null);
  // Opened before React attached onToggle (a click while the page hydrates): load it now.
  useEffect(() => {
    if (ref.current?.open) setOpened(true);
  }, []);
  return (
    <details ref={ref} data-finding-kind={finding.kind} className={FINDING_FRAME} onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <FindingSummary finding={finding} />
      {opened ? <LoadedFinding id={finding.id} canRequest={canRequest} /> : <Loading />}
    </details>
  );
}

const Loading = () => <p className="mt-2 text-xs text-slate-600" role="status">Loading the detail and fix…</p>;

function LoadedFinding({ id, canRequest }: { id: string; canRequest: boolean }) {
  const q = useQuery({ queryKey: ["finding", id], queryFn: ({ signal }) => readFinding(id, signal), staleTime: 60_000, retry: 1 });
  if (q.isPending) return <Loading />;
  if (q.isError) return <p className="mt-2 text-xs text-red-700" role="alert">{q.error.message}</p>;
  return q.data ? <FindingBody finding={q.data} canRequest={canRequest} /> : <p className="mt-2 text-xs text-amber-800" role="status">A newer scan no longer has this finding. Reload the page to see the current ones.</p>;
}
