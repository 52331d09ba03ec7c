"use client";
// A server search as a combobox types: the text settles for a moment, then one
// GET (TanStack Query: cached per text, older answers cancelled); the previous
// answer stays shown while the next one loads.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

const SETTLE_MS = 250;

/** The text once it has not changed for SETTLE_MS. */
export function useSettled(text: string): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return settled;
}

/** What an /api/v1 error answer says, for people (the pipeline's `error.message`), else the status. */
async function failure(res: Response, what: string): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return new Error(`Could not ${what} (${body?.error?.message ?? `HTTP ${res.status}`}). Try again; if it keeps failing, reload the page.`);
}

export function useServerSearch<T>(o: { key: string; path: string; params: Record<string, string>; what: string; enabled?: boolean }) {
  const query = new URLSearchParams(o.params).toString();
  return useQuery({
    queryKey: [o.key, query],
    queryFn: async ({ signal }): Promise<T> => {
      const res = await fetch(`${o.path}?${query}`, { signal, headers: { accept: "application/json" } });
      if (!res.ok) throw await failure(res, o.what);
      return (await res.json()) as T;
    },
    enabled: o.enabled ?? true,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: 1,
  });
}
