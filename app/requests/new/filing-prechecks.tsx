"use client";
// The new-request form's prechecks, written for people: per check a title (the
// request page's, lib/requests/check-verdict), one sentence of why, and the fix
// with "Add this fix" when the form can carry it.
import { checkWords } from "@/lib/requests/check-verdict";

export type Check = { id: string; item: number; status: string; message: string; fix?: { kind: string; json: unknown } };

/** What a fix does, in words, and whether the form can add it itself. */
export function describeFix(fix: NonNullable<Check["fix"]>): { text: string; addable: boolean } {
  const json = (fix.json ?? {}) as Record<string, unknown>;
  switch (fix.kind) {
    case "trust-policy":
      return { text: "Let Pod Identity into the role's trust policy: the IAM team approves the change and RoleGate applies it before the association.", addable: true };
    case "node-role-policy":
      return { text: "Let the node role fetch this role's credentials: the IAM team approves the change and RoleGate applies it before the association.", addable: true };
    case "input":
      if (json.disableSessionTags === true) return { text: "Turn session tags off on the association.", addable: true };
      if (typeof json.roleArn === "string") return { text: `Use the role's real ARN, ${json.roleArn}.`, addable: true };
      return { text: "Change the request as suggested.", addable: false };
    case "request":
      return { text: "The service account already has an association: file an update of it instead.", addable: true };
    case "addon":
      return { text: "Install the EKS Pod Identity Agent add-on on the cluster (the platform team does this).", addable: false };
    case "irsa":
      return { text: "Pod Identity cannot work where these pods run: use IRSA for this service account instead.", addable: false };
    default:
      return { text: "See the request page for the suggested change.", addable: false };
  }
}

/** The first sentence of a check's message, without the commands some messages carry in parentheses. */
export function plainSentence(message: string): string {
  const first = /^.*?[.!?](?=\s|$)/.exec(message)?.[0] ?? message;
  return first.replace(/\s*\([^()]*(kubectl|aws |--)[^()]*\)/g, "").trim();
}

function why(c: Check): string {
  if (c.status === "fail") {
    const consequence = checkWords(c.id).consequence;
    return `${consequence[0]!.toUpperCase()}${consequence.slice(1)}.`;
  }
  return plainSentence(c.message);
}

const TONE: Record<string, string> = { fail: "border-red-700 bg-red-50", warn: "border-amber-600 bg-amber-50", pass: "border-green-700 bg-green-50" };
const STATUS: Record<string, string> = { fail: "Fails", warn: "Warns", pass: "Passes" };

export function FilingPrechecks({ checks, running, added, onAddFix }: { checks: Check[]; running: boolean; added: (c: Check) => boolean; onAddFix: (c: Check) => void }) {
  const order = (s: string) => ({ fail: 0, warn: 1 })[s] ?? 2;
  const sorted = [...checks].sort((a, b) => order(a.status) - order(b.status));
  return (
    <section aria-labelledby="filing-prechecks" aria-busy={running} className="space-y-2">
      <h2 id="filing-prechecks" className="font-semibold">Prechecks {running && <span className="text-sm font-normal text-slate-600">(running…)</span>}</h2>
      <ul className="space-y-2 text-sm" data-testid="filing-prechecks">
        {sorted.map((c, k) => {
          const fix = c.fix && c.status !== "pass" ? describeFix(c.fix) : null;
          return (
            <li key={`${c.id}-${c.item}-${k}`} data-status={c.status} data-check={c.id} className={`rounded border-l-4 p-2 ${TONE[c.status] ?? "border-slate-300"}`}>
              <p>
                <span className="mr-2 text-xs font-semibold">{STATUS[c.status] ?? c.status}</span>
                <b>{checkWords(c.id).title}</b>
              </p>
              <p className="text-slate-800">{why(c)}</p>
              {fix && (
                <p className="mt-1 flex flex-wrap items-center gap-2 text-slate-800">
                  <span>Fix: {fix.text}</span>
                  {fix.addable && (added(c) ? (
                    <span data-testid="fix-added" className="rounded bg-blue-100 px-1.5 text-xs text-blue-950">Fix added</span>
                  ) : (
                    <button type="button" onClick={() => onAddFix(c)} className="rounded bg-indigo-700 px-2 py-0.5 text-xs text-white">Add this fix</button>
                  ))}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
