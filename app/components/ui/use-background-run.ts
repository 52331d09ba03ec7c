"use client";
// A button that starts work on the server (a scan, a mappings refresh) and
// follows it: start it, poll its progress route until it stops running, then
// refresh the page so the server components show the new data.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

export function useBackgroundRun<P extends { status: string }>({ name, start, progressUrl }: {
  /** Query-key prefix: which kind of run this is. */
  name: string;
  /** Starts (or joins) the run and answers its id. */
  start: () => Promise<string>;
  /** The GET route that answers the run's progress. */
  progressUrl: (id: string) => string;
}) {
  const router = useRouter();
  const [id, setId] = useState<string | null>(null);
  const starting = useMutation({ mutationFn: start, onSuccess: setId });
  const progress = useQuery({
    queryKey: [name, id],
    enabled: id !== null,
    queryFn: async (): Promise<P> => {
      const res = await fetch(progressUrl(id!));
      if (!res.ok) throw new Error(`Could not read the progress (HTTP ${res.status}).`);
      return res.json();
    },
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : 750),
  });
  const data = progress.data;
  useEffect(() => {
    if (data && data.status !== "running") router.refresh();
  }, [data, router]);
  return {
    data,
    running: starting.isPending || (id !== null && (!data || data.status === "running")),
    error: (starting.error ?? progress.error) as Error | null,
    start: () => starting.mutate(),
  };
}
