"use client";
// The decision screen's live part: the request comes from TanStack Query (polled
// while it applies) and every action invalidates it and refreshes the server part
// (audit line, context, IAM diffs): verdict, item states, prechecks heading and
// audit line stay true without a reload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { addFixItemAction } from "@/lib/actions/add-fix-item";
import { approveRequestAction } from "@/lib/actions/approve-request";
import { cancelRequestAction } from "@/lib/actions/cancel-request";
import { refreshPrechecksAction } from "@/lib/actions/refresh-prechecks";
import { rejectRequestAction } from "@/lib/actions/reject-request";
import { requestChangesAction } from "@/lib/actions/request-changes";
import { resubmitRequestAction } from "@/lib/actions/resubmit-request";
import { retryRequestAction } from "@/lib/actions/retry-request";
import type { RequestAuditStatus } from "@/lib/requests/audit-status";
import { checkWords, verdictOf } from "@/lib/requests/check-verdict";
import type { ItemDiff } from "@/lib/requests/decision-context";
import type { RequestView } from "@/lib/requests/get-request";
import type { PrecheckResult } from "@/lib/requests/prechecks";
import { exactTime, Time, useHydrated } from "@/app/components/ui";
import { AuditStatusBadge } from "../audit-status-badge";
import { StatusBadge } from "../status-badge";
import { ItemChange } from "./item-change";
import { ReasonDialog } from "./reason-dialog";
import { VerdictStrip } from "./verdict-strip";

type View = RequestView;
type Viewer = { login: string; own: boolean; canReview: boolean; canAmend: boolean; canCancel: boolean; canRetry: boolean; recheckOnOpen?: boolean };
type Result = { ok: true; data: unknown } | { ok: false; error: { message: string } };
type Op = { name: string; call: () => Promise<Result> };
const ACTIVE = ["approved", "applying"];

export function RequestDetail({ initial, viewer, audit, diffs, scannedAt, context, summary }: {
  initial: View;
  viewer: Viewer;
  audit?: RequestAuditStatus;
  diffs: Record<string, ItemDiff>;
  scannedAt?: string;
  context: ReactNode;
  /** Shown above the items: the grouped summary of an adopt batch (server-rendered), or nothing. */
  summary?: ReactNode;
}) {
  const qc = useQueryClient();
  const router = useRouter();
  const key = ["request", initial.id];
  const query = useQuery({
    queryKey: key,
    initialData: initial,
    queryFn: async (): Promise<View> => {
      const res = await fetch(`/api/v1/requests/${initial.id}`);
      if (!res.ok) throw new Error(`Could not load the request (HTTP ${res.status}).`);
      return res.json();
    },
    refetchInterval: (q) => (q.state.data && ACTIVE.includes(q.state.data.status) ? 1000 : false),
  });
  const r = query.data;
  // Whenever the request moves (ours or anyone's change, the apply job), the server part follows.
  const seen = useRef(`${initial.version}/${initial.timeline.length}`);
  useEffect(() => {
    const now = `${r.version}/${r.timeline.length}`;
    if (now !== seen.current) {
      seen.current = now;
      router.refresh();
    }
  }, [r.version, r.timeline.length, router]);
  const act = useMutation({
    mutationFn: async (op: Op) => {
      const result = await op.call();
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  const run = (name: string, call: () => Promise<Result>) => act.mutateAsync({ name, call });
  const errorOf = (name: string) => (act.error && act.variables?.name === name ? act.error.message : null);
  // The page renders what is stored; re-running the prechecks is an explicit write, asked for once it has loaded.
  const recheck = useMutation({
    mutationFn: async () => {
      const result = await refreshPrechecksAction({ id: initial.id });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  const { mutate: runRecheck } = recheck;
  useEffect(() => {
    if (viewer.recheckOnOpen) runRecheck();
  }, [viewer.recheckOnOpen, runRecheck]);
  const [justification, setJustification] = useState(initial.justification);

  const checks = r.prechecks as unknown as PrecheckResult[];
  const verdict = verdictOf(checks, r.items);
  const open = r.status === "pending" || r.status === "changes_requested";
  // Filing stores prechecksAt and createdAt from one clock reading; any later run is later.
  const atSubmission = r.prechecksAt && new Date(r.prechecksAt).getTime() === new Date(r.createdAt).getTime();
  const sentBack = [...r.timeline].reverse().find((t) => t.event === "request.changes_requested");
  const lastEvent = r.timeline.at(-1);
  const hydrated = useHydrated();
  // Deciding waits for the page to be interactive and for the re-run prechecks it shows.
  const busy = act.isPending || recheck.isPending || !hydrated;
  // The decisions that need a stated reason; approving needs one only past a failing check.
  const decisions = [
    ...(verdict.allPass ? [] : [{
      name: "override", trigger: "Approve with override", style: "bg-amber-700 text-white", title: "Approve past failing checks", label: "Why approve anyway", confirm: "Approve with override", minLength: 10, tone: "warn" as const,
      description: <><p>These checks fail now:</p><ul className="list-disc pl-5">{verdict.failing.map((c, k) => <li key={k}>{checkWords(c.id).title}: {c.message}</li>)}</ul></>,
      call: (reason: string) => approveRequestAction({ id: r.id, override: { reason } }),
    }]),
    {
      name: "changes", trigger: "Request changes", style: "bg-slate-200 text-slate-950", title: "Send it back to the requester", label: "What should change", confirm: "Request changes", minLength: 3, tone: "neutral" as const,
      description: <p>{r.requester.login} can amend the request and resubmit it; nothing is applied meanwhile.</p>,
      call: (reason: string) => requestChangesAction({ id: r.id, reason }),
    },
    {
      name: "reject", trigger: "Reject", style: "bg-red-800 text-white", title: "Reject this request", label: "Reason", confirm: "Reject", minLength: 3, tone: "danger" as const,
      description: <p>Nothing is applied; the requester sees your reason.</p>,
      call: (reason: string) => rejectRequestAction({ id: r.id, reason }),
    },
  ];

  return (
    <section className="space-y-5">
      <header>
        <h1 className="text-2xl font-semibold">Request {r.kind} <StatusBadge status={r.status} /></h1>
        <p className="text-sm text-slate-700">
          Filed by {r.requester.login} <Time at={r.createdAt} /> · policy {r.policy.name} v{r.policy.version}: {r.approvals}/{r.policy.requiredApprovals} approval(s) needed:{" "}
          <span data-testid="approval-requirements">{r.policy.requirements.map((q) => `${q.count} from ${q.role}`).join(" and ")}</span>
        </p>
        {audit && (
          <p className="text-sm" aria-label="Audit status" data-testid="audit-line">
            Audit trail: <AuditStatusBadge status={audit} />
            {lastEvent && <span className="ml-1 text-slate-700" data-testid="audit-last-event">· latest {lastEvent.event} by {lastEvent.actor}, <Time at={lastEvent.at} /></span>}
          </p>
        )}
        <p className="mt-2 text-sm">{r.justification}</p>
      </header>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-5 lg:col-span-2">
          <div>
            <p className="mb-1 text-sm text-slate-700" data-testid="prechecks-at">
              {recheck.isPending
                ? "Running the prechecks again…"
                : r.prechecksAt
                  ? <>{atSubmission ? "Prechecks at submission" : "Prechecks last run"}, {exactTime(r.prechecksAt)} (<Time at={r.prechecksAt} />)</>
                  : "Prechecks have not run"}
              {recheck.error && <span role="alert" className="ml-2 text-red-700">Could not re-run them: {recheck.error.message}</span>}
            </p>
            <VerdictStrip verdict={verdict} canAddFix={viewer.canAmend && open} busy={busy} onAddFix={(c) => run("fix", () => addFixItemAction({ id: r.id, check: c.id, item: c.item }))} />
            {errorOf("fix") && <p role="alert" className="mt-1 text-sm text-red-700">{errorOf("fix")}</p>}
          </div>

          {r.status === "changes_requested" && sentBack && (
            <div className="rounded border border-orange-700 bg-orange-50 p-3 text-sm" data-testid="changes-requested">
              <p><b>{sentBack.actor}</b> asked for changes: {String((sentBack.details as { reason?: string })?.reason ?? "")}</p>
              {viewer.own && (
                <form className="mt-2 space-y-2" onSubmit={(e) => { e.preventDefault(); void run("resubmit", () => resubmitRequestAction({ id: r.id, ...(justification.trim() !== r.justification ? { justification } : {}) })).catch(() => {}); }}>
                  <p>Add a suggested fix above if it helps, adjust the justification, then resubmit: approvals given before are dismissed.</p>
                  <label className="block font-medium">Justification
                    <textarea value={justification} onChange={(e) => setJustification(e.target.value)} rows={2} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1 font-normal" />
                  </label>
                  <button type="submit" disabled={busy} className="rounded bg-slate-900 px-3 py-1.5 text-white">Resubmit for review</button>
                  {errorOf("resubmit") && <p role="alert" className="text-red-700">{errorOf("resubmit")}</p>}
                </form>
              )}
            </div>
          )}

          <div className="flex flex-wrap items-center gap-2" data-testid="decision-actions">
            {r.status === "pending" && viewer.canReview && (
              <>
                {verdict.allPass && <button onClick={() => void run("approve", () => approveRequestAction({ id: r.id })).catch(() => {})} disabled={busy} className="rounded bg-green-800 px-3 py-1.5 text-sm text-white">Approve</button>}
                {decisions.map(({ name, trigger, style, call, ...dialog }) => (
                  <ReasonDialog key={name} {...dialog} trigger={<button disabled={busy} className={`rounded px-3 py-1.5 text-sm ${style}`}>{trigger}</button>} busy={busy} error={errorOf(name)} onConfirm={(reason) => run(name, () => call(reason))} />
                ))}
              </>
            )}
            {r.status === "pending" && viewer.own && <span className="text-sm text-slate-700">You filed this request: someone else must review it.</span>}
            {open && viewer.canCancel && <button onClick={() => void run("cancel", () => cancelRequestAction({ id: r.id })).catch(() => {})} disabled={busy} className="rounded bg-slate-100 px-3 py-1.5 text-sm">Cancel request</button>}
            {r.status === "failed" && viewer.canRetry && <button onClick={() => void run("retry", () => retryRequestAction({ id: r.id })).catch(() => {})} disabled={busy} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">Retry</button>}
            {["approve", "cancel", "retry"].map((n) => errorOf(n) && <p key={n} role="alert" className="text-sm text-red-700">{errorOf(n)}</p>)}
          </div>

          <div>
            <h2 className="mb-2 text-lg font-semibold">What changes</h2>
            {summary && <div className="mb-3">{summary}</div>}
            {r.items.map((i) => <ItemChange key={i.id} item={i} diff={diffs[i.id]} scannedAt={scannedAt} />)}
          </div>
        </div>
        <div className="min-w-0">{context}</div>
      </div>

      <div>
        <h2 className="mb-2 font-semibold">Reviews</h2>
        {r.reviews.length === 0 ? <p className="text-sm text-slate-700">No reviews yet.</p> : (
          <ul className="text-sm">{r.reviews.map((v) => <li key={v.reviewer}>{v.reviewer}: {v.decision}{v.comment ? ` — ${v.comment}` : ""}{v.overrideReason ? ` (override: ${v.overrideReason})` : ""}</li>)}</ul>
        )}
      </div>
      <div>
        <h2 className="mb-2 font-semibold">Timeline (audit trail)</h2>
        <ol className="text-sm" data-testid="timeline">{r.timeline.map((t) => <li key={t.id}>{exactTime(t.at)} · {t.actor} · {t.event}</li>)}</ol>
      </div>
    </section>
  );
}
