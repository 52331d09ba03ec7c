"use client";
// Above the fold: the prechecks' verdict in one sentence, failing checks first,
// each with why it matters and, when its fix is an IAM change, "Add this fix".
import { checkWords, type Verdict } from "@/lib/requests/check-verdict";

type Check = { id: string; item: number; status: string; message: string; fix?: { kind: string; json: unknown } };

/** The fixes RoleGate can carry as an IAM item (the server decides again). */
const IAM_FIXES = ["trust-policy", "node-role-policy"];

export function VerdictStrip({ verdict, canAddFix, onAddFix, busy }: {
  verdict: Verdict<Check>;
  canAddFix: boolean;
  onAddFix: (check: Check) => void;
  busy: boolean;
}) {
  const tone = !verdict.checks.length ? "border-slate-300 bg-slate-50" : verdict.allPass ? "border-green-700 bg-green-50" : "border-red-700 bg-red-50";
  return (
    <section aria-labelledby="verdict-heading" className={`rounded border-l-4 p-3 ${tone}`} data-testid="verdict-strip" data-all-pass={verdict.allPass}>
      <h2 id="verdict-heading" className="font-semibold" data-testid="verdict-headline">{verdict.headline}</h2>
      {verdict.checks.length > 0 && (
        <ol className="mt-2 space-y-1 text-sm" data-testid="verdict-checks">
          {verdict.checks.map((c, k) => {
            const words = checkWords(c.id);
            const status = c.fixedByRequest ? "fixed" : c.status;
            const fixable = c.status === "fail" && !c.fixedByRequest && c.fix && IAM_FIXES.includes(c.fix.kind);
            return (
              <li key={`${c.id}-${c.item}-${k}`} data-status={status} data-check={c.id} className="flex flex-wrap items-baseline gap-x-2">
                <span className={`rounded px-1.5 text-xs font-semibold ${status === "fail" ? "bg-red-800 text-white" : status === "warn" ? "bg-amber-200 text-amber-950" : status === "fixed" ? "bg-blue-100 text-blue-950" : "bg-green-100 text-green-950"}`}>
                  {status === "fail" ? "Fails" : status === "warn" ? "Warns" : status === "fixed" ? "Fixed by this request" : "Passes"}
                </span>
                <span className="font-medium">{words.title}</span>
                <span className="text-slate-700">{c.status === "pass" ? c.message : `${c.status === "fail" ? `${words.consequence[0]!.toUpperCase()}${words.consequence.slice(1)}. ` : ""}${c.message}`}</span>
                {c.fix && c.status !== "pass" && (
                  <details className="basis-full pl-2 text-slate-800">
                    <summary className="cursor-pointer text-xs">Suggested fix ({c.fix.kind})</summary>
                    <pre tabIndex={0} className="overflow-x-auto rounded bg-white p-2 text-xs">{JSON.stringify(c.fix.json, null, 2)}</pre>
                  </details>
                )}
                {fixable && canAddFix && (
                  <button type="button" onClick={() => onAddFix(c)} disabled={busy} className="rounded bg-indigo-700 px-2 py-0.5 text-xs text-white disabled:opacity-60">
                    Add this fix to the request
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
