"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { restartStalePodsAction } from "@/lib/actions/restart-stale-pods";
import { setAutoRestartAction } from "@/lib/actions/set-auto-restart";
import { ConfirmButton } from "../components/ui";

/** "Dry run" lists what would be deleted; "Restart" files a request (or deletes at once where auto-restart is on). */
export function RestartButtons({ clusterId, allowed }: { clusterId: string; allowed: boolean }) {
  const [pending, start] = useTransition();
  const router = useRouter();
  const [msg, setMsg] = useState<{ text: string; requestId?: string | null; error?: boolean } | null>(null);
  if (!allowed) return <span className="text-xs text-slate-500">Your role may not file requests.</span>;
  const run = (dryRun: boolean) =>
    start(async () => {
      const r = await restartStalePodsAction({ clusterId, dryRun });
      if (!r.ok) return setMsg({ text: r.error.message, error: true });
      const d = r.data;
      if (dryRun) return setMsg({ text: d.stale.length ? `Would restart ${d.stale.length} pod(s): ${d.stale.map((p) => `${p.namespace}/${p.name}`).join(", ")}` : "Nothing to restart." });
      setMsg({
        text: `Restarted now: ${d.restarted.length}. Already planned earlier: ${d.alreadyPlanned}.${d.requestId ? " The rest awaits approval." : ""}`,
        requestId: d.requestId,
      });
      router.refresh();
    });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" disabled={pending} data-testid="stale-dry-run" onClick={() => run(true)} className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50">
        Dry run
      </button>
      <ConfirmButton
        disabled={pending}
        data-testid="stale-restart"
        title="Restart the stale pods?"
        description="Pods in namespaces with automatic restarts are deleted now (their controllers start new ones with fresh credentials); for the others a request is filed for approval."
        confirmLabel="Restart pods"
        onConfirm={() => run(false)}
        className="rounded bg-slate-900 px-2 py-0.5 text-xs text-white disabled:opacity-50"
      >
        Restart
      </ConfirmButton>
      {msg && (
        <span role={msg.error ? "alert" : "status"} className={`text-xs ${msg.error ? "text-red-700" : "text-slate-700"}`}>
          {msg.text}{" "}
          {msg.requestId && (
            <Link className="text-blue-700 underline" href={`/requests/${msg.requestId}`}>
              request
            </Link>
          )}
        </span>
      )}
    </div>
  );
}

/** Admin toggle: restart a namespace's stale pods without a request. */
export function AutoRestartToggle({ clusterId, namespace, enabled }: { clusterId: string; namespace: string; enabled: boolean }) {
  const [pending, start] = useTransition();
  const [on, setOn] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  return (
    <label className="flex items-center gap-1 text-xs">
      <input
        type="checkbox"
        checked={on}
        disabled={pending}
        data-testid={`auto-restart-${namespace}`}
        onChange={(e) => {
          const next = e.target.checked;
          start(async () => {
            const r = await setAutoRestartAction({ clusterId, namespace, enabled: next });
            if (r.ok) {
              setOn(r.data.autoRestart);
              setError(null);
            } else setError(r.error.message);
          });
        }}
      />
      {namespace}: automatic restarts
      {error && <span role="alert" className="text-red-700"> {error}</span>}
    </label>
  );
}
