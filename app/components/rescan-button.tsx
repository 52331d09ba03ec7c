"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { startScan } from "@/lib/actions/start-scan";

type ScanProgress = { phase?: string; done?: number; total?: number };
type Scan = { id: string; status: string; progress: ScanProgress; errors: { scope: string; message: string }[] };

/** Starts an inventory scan (or joins the running one) and shows its live progress from GET /api/v1/scans/{id}. */
export function RescanButton({ allowed }: { allowed: boolean }) {
  const router = useRouter();
  const [scanId, setScanId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () => {
      const result = await startScan({});
      if (!result.ok) throw new Error(result.error.message);
      if (!result.data.scanId) throw new Error("The scan could not be started; try again in a minute.");
      return result.data.scanId;
    },
    onSuccess: setScanId,
  });
  const scan = useQuery({
    queryKey: ["inventory-scan", scanId],
    enabled: scanId !== null,
    queryFn: async (): Promise<Scan> => {
      const res = await fetch(`/api/v1/scans/${scanId}`);
      if (!res.ok) throw new Error(`Could not read scan progress (HTTP ${res.status}).`);
      return res.json();
    },
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : 750),
  });
  const data = scan.data;
  const running = start.isPending || (scanId !== null && (!data || data.status === "running"));
  useEffect(() => {
    if (data && data.status !== "running") router.refresh();
  }, [data, router]);
  const done = data?.progress.done ?? 0;
  const total = data?.progress.total ?? 0;
  return (
    <div className="flex min-w-56 flex-col items-end gap-1 text-sm">
      <button
        type="button"
        onClick={() => start.mutate()}
        disabled={!allowed || running}
        title={allowed ? "Read every cluster, association and role again" : "Your role cannot start scans (needs inventory:scan)."}
        className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {running ? "Scanning…" : "Rescan"}
      </button>
      {data && (
        <div className="w-56" data-testid="scan-progress">
          <div role="progressbar" aria-label="Scan progress" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} className="h-1.5 w-full overflow-hidden rounded bg-slate-200">
            <div className="h-full bg-indigo-600" style={{ width: `${total ? Math.round((100 * done) / total) : data.status === "running" ? 5 : 100}%` }} />
          </div>
        </div>
      )}
      <span aria-live="polite" data-testid="scan-status" className="text-xs text-slate-600">
        {(start.error || scan.error) && <span className="text-red-700">{((start.error ?? scan.error) as Error).message}</span>}
        {data &&
          (data.status === "running"
            ? `${data.progress.phase ?? "starting"}: ${done}/${total || "?"}`
            : `Scan ${data.status}: ${done}/${total} read${data.errors.length ? `, ${data.errors.length} error(s): ${data.errors[0]?.scope}: ${data.errors[0]?.message}` : ""}`)}
      </span>
    </div>
  );
}
