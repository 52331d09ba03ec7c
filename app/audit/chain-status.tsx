"use client";
import { useQuery } from "@tanstack/react-query";

type Verify = {
  valid: boolean;
  rows: number;
  unchained: number;
  head?: { id: string; hash: string };
  firstBadRow?: { id: string; reason: string };
  checkpoints?: { checked: number; latest?: { at: string; count: number } };
  badCheckpoint?: { line: number; at: string; reason: string };
};

/** The chain-integrity indicator: the server re-verifies the whole trail on each fetch. */
export function ChainStatus() {
  const q = useQuery({
    queryKey: ["audit-verify"],
    queryFn: async (): Promise<Verify> => {
      const res = await fetch("/api/v1/audit/verify");
      if (!res.ok) throw new Error(`Could not verify the audit chain (HTTP ${res.status}).`);
      return res.json();
    },
    staleTime: 30_000,
  });
  const base = "rounded border px-3 py-2 text-sm";
  if (q.isPending) return <div data-testid="chain-status" className={`${base} border-slate-200 bg-slate-50 text-slate-600`}>Checking the audit chain…</div>;
  if (q.isError) return <div data-testid="chain-status" role="alert" className={`${base} border-amber-300 bg-amber-50 text-amber-900`}>{q.error.message}</div>;
  const v = q.data;
  if (v.valid) {
    return (
      <div data-testid="chain-status" className={`${base} border-emerald-200 bg-emerald-50 text-emerald-900`} title={v.head ? `Last row ${v.head.id}, hash ${v.head.hash}` : undefined}>
        ✓ Chain valid: {v.rows} rows checked{v.unchained ? ` (${v.unchained} from before the chain not covered)` : ""}.
        {v.checkpoints?.latest ? ` Matches ${v.checkpoints.checked} signed checkpoint(s), the newest of ${v.checkpoints.latest.at}.` : ""}
      </div>
    );
  }
  if (!v.firstBadRow && v.badCheckpoint) {
    return (
      <div data-testid="chain-status" role="alert" className={`${base} border-red-300 bg-red-50 text-red-900`}>
        ✗ The trail does not match signed checkpoint {v.badCheckpoint.line}: {v.badCheckpoint.reason}. Tell your security team.
      </div>
    );
  }
  return (
    <div data-testid="chain-status" role="alert" className={`${base} border-red-300 bg-red-50 text-red-900`}>
      ✗ Chain broken at row {v.firstBadRow?.id}: {v.firstBadRow?.reason}. Rows from there on cannot be trusted; tell your security team.
    </div>
  );
}
