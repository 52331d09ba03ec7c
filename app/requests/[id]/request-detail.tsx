"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { approveRequestAction } from "@/lib/actions/approve-request";
import { refreshPrechecksAction } from "@/lib/actions/refresh-prechecks";
import { cancelRequestAction } from "@/lib/actions/cancel-request";
import { rejectRequestAction } from "@/lib/actions/reject-request";
import { retryRequestAction } from "@/lib/actions/retry-request";
import type { RequestView } from "@/lib/requests/get-request";
import { PrechecksList } from "../prechecks-list";
import { StatusBadge } from "../status-badge";

type View = RequestView;
type Viewer = { login: string; own: boolean; canReview: boolean; canCancel: boolean; canRetry: boolean; recheckOnOpen?: boolean };
const when = (at: string | Date | null | undefined) => (at ? `${String(at).slice(0, 19).replace("T", " ")} UTC` : "never");
const ACTIVE = ["approved", "applying"];

export function RequestDetail({ initial, viewer }: { initial: View; viewer: Viewer }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState("");
  const [overrideReason, setOverrideReason] = useState("");
  const query = useQuery({
    queryKey: ["request", initial.id],
    initialData: initial,
    queryFn: async (): Promise<View> => {
      const res = await fetch(`/api/v1/requests/${initial.id}`);
      if (!res.ok) throw new Error(`Could not load the request (HTTP ${res.status}).`);
      return res.json();
    },
    refetchInterval: (q) => (q.state.data && ACTIVE.includes(q.state.data.status) ? 1000 : false),
  });
  const r = query.data;
  const act = useMutation({
    mutationFn: async (op: "approve" | "reject" | "cancel" | "retry") => {
      const fn = { approve: approveRequestAction, reject: rejectRequestAction, cancel: cancelRequestAction, retry: retryRequestAction }[op];
      const input = op === "reject" ? { id: r.id, reason } : op === "approve" && overrideReason.trim() ? { id: r.id, override: { reason: overrideReason } } : { id: r.id };
      const result = await fn(input);
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["request", initial.id] }),
  });
  // The page renders what is stored; re-running the prechecks is an explicit write, asked for once it has loaded.
  const recheck = useMutation({
    mutationFn: async () => {
      const result = await refreshPrechecksAction({ id: initial.id });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["request", initial.id] }),
  });
  const { mutate: runRecheck } = recheck;
  useEffect(() => {
    if (viewer.recheckOnOpen) runRecheck();
  }, [viewer.recheckOnOpen, runRecheck]);
  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Request {r.kind} <StatusBadge status={r.status} /></h1>
        <p className="text-sm text-slate-600">Filed by {r.requester.login} on {String(r.createdAt).slice(0, 16).replace("T", " ")} · policy {r.policy.name} v{r.policy.version}: {r.approvals}/{r.policy.requiredApprovals} approval(s) needed: <span data-testid="approval-requirements">{r.policy.requirements.map((q) => `${q.count} from ${q.role}`).join(" and ")}</span></p>
        <p className="mt-2 text-sm">{r.justification}</p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {r.status === "pending" && viewer.canReview && (
          <>
            <button onClick={() => act.mutate("approve")} disabled={act.isPending} className="rounded bg-green-700 px-3 py-1.5 text-sm text-white">Approve</button>
            {/* Only used when a blocking precheck fails: approving past it needs a stated reason (audited). */}
            <input value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} placeholder="Override reason (only past a failing check)" aria-label="Override: why approve past a failing check" className="rounded border px-2 py-1 text-sm" />
            <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason for rejecting" aria-label="Reason" className="rounded border px-2 py-1 text-sm" />
            <button onClick={() => act.mutate("reject")} disabled={act.isPending} className="rounded bg-red-700 px-3 py-1.5 text-sm text-white">Reject</button>
          </>
        )}
        {r.status === "pending" && viewer.own && <span className="text-sm text-slate-600">You filed this request: someone else must review it.</span>}
        {r.status === "pending" && viewer.canCancel && <button onClick={() => act.mutate("cancel")} className="rounded bg-slate-100 px-3 py-1.5 text-sm">Cancel request</button>}
        {r.status === "failed" && viewer.canRetry && <button onClick={() => act.mutate("retry")} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">Retry</button>}
        {act.error && <p role="alert" className="text-sm text-red-700">{act.error.message}</p>}
      </div>
      <div>
        <h2 className="mb-2 font-semibold">Changes and AWS calls</h2>
        {r.items.map((i) => (
          <div key={i.id} className="mb-3 rounded border p-3 text-sm" data-testid="request-item">
            <p><b>{i.kind}</b> {i.cluster} / {i.namespace} / {i.serviceAccount} → {i.roleArn ?? "(revoke)"} · item <span data-testid="item-status">{i.status}</span>{i.attempts ? ` after ${i.attempts} attempt(s)` : ""}</p>
            {i.result && <p className="text-green-800">Association <span data-testid="association-id">{i.result.associationId}</span>{i.outcome === "adopted" ? " (adopted existing)" : ""}{i.result.externalId ? ` · external id ${i.result.externalId}` : ""}</p>}
            {i.error && <p role="alert" className="text-red-800">AWS error {i.error.code}: {i.error.message}</p>}
            <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-testid="aws-call">{JSON.stringify(i.awsCall, null, 2)}</pre>
          </div>
        ))}
      </div>
      <div>
        <h2 className="mb-2 font-semibold">Prechecks</h2>
        <p className="mb-1 text-sm text-slate-500" data-testid="prechecks-at">
          {recheck.isPending ? "Running the prechecks again…" : `prechecks run ${when(r.prechecksAt)}`}
          {recheck.error && <span role="alert" className="ml-2 text-red-700">Could not re-run them: {recheck.error.message}</span>}
        </p>
        <PrechecksList checks={r.prechecks as never} />
      </div>
      <div>
        <h2 className="mb-2 font-semibold">Reviews</h2>
        {r.reviews.length === 0 ? <p className="text-sm text-slate-500">No reviews yet.</p> : (
          <ul className="text-sm">{r.reviews.map((v) => <li key={v.reviewer}>{v.reviewer}: {v.decision}{v.comment ? ` — ${v.comment}` : ""}{v.overrideReason ? ` (override: ${v.overrideReason})` : ""}</li>)}</ul>
        )}
      </div>
      <div>
        <h2 className="mb-2 font-semibold">Timeline (audit trail)</h2>
        <ol className="text-sm" data-testid="timeline">{r.timeline.map((t) => <li key={t.id}>{String(t.at).slice(0, 19).replace("T", " ")} · {t.actor} · {t.event}</li>)}</ol>
      </div>
    </section>
  );
}
