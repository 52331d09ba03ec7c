"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { refreshMappings } from "@/lib/actions/refresh-mappings";

type Refresh = { id: string; status: string; clustersTotal: number; clustersDone: number; associationsSeen: number; error: string | null };

export function RefreshButton() {
  const router = useRouter();
  const [refreshId, setRefreshId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () => {
      const result = await refreshMappings({});
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSuccess: (data) => setRefreshId(data.refreshId),
  });
  const progress = useQuery({
    queryKey: ["mapping-refresh", refreshId],
    enabled: refreshId !== null,
    queryFn: async (): Promise<Refresh> => {
      const res = await fetch(`/api/v1/mappings/refreshes/${refreshId}`);
      if (!res.ok) throw new Error(`Could not read refresh progress (HTTP ${res.status}).`);
      return res.json();
    },
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : 750),
  });
  const data = progress.data;
  const running = start.isPending || (refreshId !== null && (!data || data.status === "running"));
  useEffect(() => {
    if (data && data.status !== "running") router.refresh();
  }, [data, router]);
  return (
    <div className="flex flex-col items-end gap-1 text-sm">
      <button
        type="button"
        onClick={() => start.mutate()}
        disabled={running}
        className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {running ? "Refreshing…" : "Refresh"}
      </button>
      <span aria-live="polite" data-testid="refresh-status" className="text-xs text-slate-600">
        {start.error && <span className="text-red-700">{(start.error as Error).message}</span>}
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
