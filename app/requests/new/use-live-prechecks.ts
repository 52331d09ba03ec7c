"use client";
// The form's prechecks, run again (debounced) whenever what they depend on changes;
// an answer to an older body is dropped. null: not enough is known yet.
import { useEffect, useRef, useState } from "react";
import { runPrechecksAction } from "@/lib/actions/run-prechecks";
import type { Check } from "./filing-prechecks";

const DEBOUNCE_MS = 500;

export function useLivePrechecks(body: Record<string, unknown> | null) {
  const [state, setState] = useState<{ checks: Check[] | null; running: boolean; error: string | null }>({ checks: null, running: false, error: null });
  const latest = useRef(0);
  const key = body ? JSON.stringify(body) : "";
  useEffect(() => {
    const run = ++latest.current;
    if (!key) return;
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, running: true }));
      const r = await runPrechecksAction(JSON.parse(key));
      if (run !== latest.current) return;
      setState(r.ok ? { checks: r.data.prechecks, running: false, error: null } : { checks: null, running: false, error: r.error.message });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return key ? state : { checks: null, running: false, error: null };
}
