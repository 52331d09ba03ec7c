// An IAM item's statements against the policy the role has now: added, removed,
// unchanged (folded) and edited ones line by line.
import type { ItemDiff } from "@/lib/requests/decision-context";
import { exactTime } from "@/app/components/ui";

const LINE: Record<string, string> = { added: "bg-green-100 text-green-950", removed: "bg-red-100 text-red-950", same: "" };
const MARK: Record<string, string> = { added: "+ ", removed: "- ", same: "  " };

export function PolicyDiffView({ diff, scannedAt }: { diff: ItemDiff; scannedAt?: string }) {
  const summary = [diff.added && `${diff.added} added`, diff.edited && `${diff.edited} edited`, diff.removed && `${diff.removed} removed`].filter(Boolean).join(", ") || "no statement changes";
  return (
    <div className="mt-2" data-testid="policy-diff">
      <p className="text-slate-700">
        Statements: <span data-testid="policy-diff-summary">{summary}</span>
        {diff.currentKnown ? ` (against the policy as the last scan read it${scannedAt ? `, ${exactTime(scannedAt)}` : ""})` : " (the last scan has not seen this role: every statement shown as new)"}
      </p>
      {diff.error && <p role="alert" className="text-red-800">{diff.error}</p>}
      <ul className="mt-1 space-y-1">
        {diff.statements.map((s, k) => (
          <li key={k} data-change={s.change} className="rounded border border-slate-200">
            {s.change === "same" ? (
              <details>
                <summary className="cursor-pointer px-2 py-1 text-xs text-slate-700">{s.label}: unchanged</summary>
                <pre tabIndex={0} className="overflow-x-auto p-2 text-xs">{s.json}</pre>
              </details>
            ) : (
              <>
                <p className="px-2 py-1 text-xs font-semibold">{s.label}: {s.change}</p>
                <pre tabIndex={0} className="overflow-x-auto p-2 text-xs">
                  {s.change === "edited"
                    ? s.lines.map((l, n) => <span key={n} className={`block ${LINE[l.change]}`}>{MARK[l.change]}{l.text}</span>)
                    : s.json.split("\n").map((line, n) => <span key={n} className={`block ${LINE[s.change]}`}>{MARK[s.change]}{line}</span>)}
                </pre>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
