"use client";
// The form's prechecks, run again (debounced) whenever what they depend on changes;
// an answer to an older body is dropped. null: not enough is known yet. A 400
// comes back with the server's messages per field (e.g. items.0.inlinePolicy);
// bornRoles: the roles the batch's create-role items would create, with the
// trust the server generates for them.
import { useEffect, useRef, useState } from "react";
import { runPrechecksAction } from "@/lib/actions/run-prechecks";
import type { Check } from "./filing-prechecks";

const DEBOUNCE_MS = 500;

export type BornRole = { arn: string; name: string; trustPolicy: string };
type State = { checks: Check[] | null; bornRoles: BornRole[]; running: boolean; error: string | null; fields: Record<string, string[]> };
const IDLE: State = { checks: null, bornRoles: [], running: false, error: null, fields: {} };

export function useLivePrechecks(body: Record<string, unknown> | null): State {
  const [state, setState] = useState<State>(IDLE);
  const latest = useRef(0);
  const key = body ? JSON.stringify(body) : "";
  useEffect(() => {
    const run = ++latest.current;
    if (!key) return;
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, running: true }));
      const r = await runPrechecksAction(JSON.parse(key));
      if (run !== latest.current) return;
      setState(r.ok ? { checks: r.data.prechecks, bornRoles: r.data.bornRoles, running: false, error: null, fields: {} } : { ...IDLE, error: r.error.message, fields: r.error.fields ?? {} });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return key ? state : IDLE;
}
