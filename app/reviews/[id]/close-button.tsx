"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { closeReviewCampaignAction } from "@/lib/actions/close-review-campaign";

export function CloseCampaignButton({ id }: { id: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <button type="button" disabled={pending} className="rounded border px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-50" onClick={() => start(async () => { const r = await closeReviewCampaignAction({ id }); if (r.ok) router.refresh(); else setError(r.error.message); })}>
        Close campaign
      </button>
      {error && <span role="alert" className="ml-2 text-sm text-red-700">{error}</span>}
    </span>
  );
}
