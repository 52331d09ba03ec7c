"use client";
import { refreshMappings } from "@/lib/actions/refresh-mappings";
import { useBackgroundRun } from "../components/ui/use-background-run";

type Refresh = { id: string; status: string; clustersTotal: number; clustersDone: number; associationsSeen: number; error: string | null };

export function RefreshButton() {
  const { data, running, error, start } = useBackgroundRun<Refresh>({
    name: "mapping-refresh",
    start: async () => {
      const result = await refreshMappings({});
      if (!result.ok) throw new Error(result.error.message);
      return result.data.refreshId;
    },
    progressUrl: (id) => `/api/v1/mappings/refreshes/${id}`,
  });
  return (
    <div className="flex flex-col items-end gap-1 text-sm">
      <button
        type="button"
        onClick={start}
        disabled={running}
        className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {running ? "Refreshing…" : "Refresh"}
      </button>
      <span aria-live="polite" data-testid="refresh-status" className="text-xs text-slate-600">
        {error && <span className="text-red-700">{error.message}</span>}
        {data &&
          (data.status === "running"
            ? `${data.clustersDone}/${data.clustersTotal || "?"} clusters, ${data.associationsSeen} associations read`
            : data.status === "succeeded"
              ? `Refreshed: ${data.associationsSeen} associations`
              : `Refresh ${data.status}: ${data.error ?? ""}`)}
      </span>
    </div>
  );
}
