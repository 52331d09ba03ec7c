"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { decideReviewItemAction } from "@/lib/actions/decide-review-item";

/** Keep (with a reason) or revoke one review item. */
export function DecisionForm({ campaignId, itemId }: { campaignId: string; itemId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const decide = (decision: "keep" | "revoke") =>
    start(async () => {
      const r = await decideReviewItemAction({ id: campaignId, itemId, decision, comment });
      if (!r.ok) setError(r.error.message);
      else router.refresh();
    });
  return (
    <div className="flex flex-col gap-1">
      <input aria-label="Reason" placeholder="Reason (needed to keep)" value={comment} onChange={(e) => setComment(e.target.value)} className="rounded border p-1 text-xs" />
      <div className="flex gap-1">
        <button type="button" disabled={pending} onClick={() => decide("keep")} className="rounded border px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50">Keep</button>
        <button type="button" disabled={pending} onClick={() => decide("revoke")} className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-800 hover:bg-red-50 disabled:opacity-50">Revoke</button>
      </div>
      {error && <span role="alert" className="text-xs text-red-700">{error}</span>}
    </div>
  );
}
