"use client";
import { startScan } from "@/lib/actions/start-scan";
import { useBackgroundRun } from "./ui/use-background-run";

type ScanProgress = { phase?: string; done?: number; total?: number };
type Scan = { id: string; status: string; progress: ScanProgress; errors: { scope: string; message: string }[] };

/** Starts an inventory scan (or joins the running one) and shows its live progress from GET /api/v1/scans/{id}. */
export function RescanButton({ allowed }: { allowed: boolean }) {
  const { data, running, error, start } = useBackgroundRun<Scan>({
    name: "inventory-scan",
    start: async () => {
      const result = await startScan({});
      if (!result.ok) throw new Error(result.error.message);
      if (!result.data.scanId) throw new Error("The scan could not be started; try again in a minute.");
      return result.data.scanId;
    },
    progressUrl: (id) => `/api/v1/scans/${id}`,
  });
  const done = data?.progress.done ?? 0;
  const total = data?.progress.total ?? 0;
  return (
    <div className="flex min-w-56 flex-col items-end gap-1 text-sm">
      <button
        type="button"
        onClick={start}
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
        {error && <span className="text-red-700">{error.message}</span>}
        {data &&
          (data.status === "running"
            ? `${data.progress.phase ?? "starting"}: ${done}/${total || "?"}`
            : `Scan ${data.status}: ${done}/${total} read${data.errors.length ? `, ${data.errors.length} error(s): ${data.errors[0]?.scope}: ${data.errors[0]?.message}` : ""}`)}
      </span>
    </div>
  );
}
