import type { TrustStatementView } from "@/lib/inventory/views/role-detail";
import { CopyButton } from "../../components/ui/copy-button";

/** The trust policy statement by statement; statements that let a known service account in are highlighted. */
export function TrustPolicyView({ statements, raw, parseError }: { statements: TrustStatementView[]; raw: string; parseError?: string }) {
  let pretty = raw;
  try {
    pretty = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    // shown as stored
  }
  return (
    <div>
      <h2 className="mb-2 flex items-center gap-2 text-lg font-semibold">
        Trust policy <CopyButton text={pretty} label="Copy JSON" />
      </h2>
      {parseError && <p role="alert" className="mb-2 text-sm text-red-700">The trust policy could not be parsed: {parseError}</p>}
      <ol data-testid="trust-statements" className="space-y-2">
        {statements.map((s) => {
          const matched = s.matchedBy.length > 0;
          const deny = s.effect === "Deny";
          return (
            <li
              key={s.index}
              data-testid="trust-statement"
              data-matched={matched ? "true" : "false"}
              className={`rounded border p-2 ${matched ? (deny ? "border-red-400 bg-red-50" : "border-emerald-400 bg-emerald-50") : "border-slate-200 bg-white"}`}
            >
              <div className="mb-1 text-xs text-slate-600">
                Statement {s.index}
                {s.sid && <> (Sid {s.sid})</>} · {s.effect}
                {matched && <span className="ml-2 font-medium text-emerald-800">matches {s.matchedBy.join(", ")}</span>}
              </div>
              <pre tabIndex={0} className="overflow-auto text-xs">{s.json}</pre>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
