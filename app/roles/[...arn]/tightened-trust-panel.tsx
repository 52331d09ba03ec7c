import type { TightenPreview } from "@/lib/tightening/preview";
import { FileTightenedTrustButton } from "./file-tightened-trust-button";

const OUTCOME = { keeps: "keeps working", breaks: "breaks", "already-refused": "refused already" } as const;
const TONE = { keeps: "text-green-800", breaks: "text-red-700", "already-refused": "text-slate-500" } as const;

/** Shown for a role any association of the account can use: the tighter trust, who keeps working and who breaks. */
export function TightenedTrustPanel({ view, canFile }: { view: { preview: TightenPreview } | { error: string }; canFile: boolean }) {
  if ("error" in view) return <p data-testid="tightened-trust-error" className="text-sm text-amber-800">Tighter trust preview unavailable: {view.error}</p>;
  const p = view.preview;
  if (!p.open) return null;
  const breaks = p.impact.filter((i) => i.outcome === "breaks").length;
  return (
    <div data-testid="tightened-trust" className="space-y-3 rounded border border-amber-200 bg-amber-50 p-3">
      <h2 className="text-lg font-semibold">Tighter trust</h2>
      <p className="text-sm">This role trusts <code>pods.eks.amazonaws.com</code> without conditions: any association in the account can use it.</p>
      {p.problem ? (
        <p className="text-sm text-slate-700">{p.problem}</p>
      ) : (
        <>
          <p className="text-sm">
            Proposed: only the clusters, namespaces and service accounts that use it now.{" "}
            <span data-testid="tightened-trust-summary">{p.impact.length - breaks} of {p.impact.length} association(s) keep working{breaks ? `, ${breaks} break` : ""}.</span>
          </p>
          <table data-testid="tightened-trust-impact" className="min-w-full rounded border border-slate-200 bg-white text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr><th className="px-3 py-2">Cluster</th><th className="px-3 py-2">Namespace</th><th className="px-3 py-2">Service account</th><th className="px-3 py-2">Under the tighter trust</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {p.impact.map((i) => (
                <tr key={i.associationId} data-outcome={i.outcome}>
                  <td className="px-3 py-1.5">{i.cluster}</td>
                  <td className="px-3 py-1.5">{i.namespace}</td>
                  <td className="px-3 py-1.5 font-medium">{i.serviceAccount}</td>
                  <td className="px-3 py-1.5"><span className={`font-medium ${TONE[i.outcome]}`}>{OUTCOME[i.outcome]}</span>{i.outcome !== "keeps" && <span className="ml-2 text-xs text-slate-600">{i.reason}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary className="cursor-pointer text-sm">Proposed trust policy</summary>
            <pre data-testid="tightened-trust-document" className="mt-2 overflow-x-auto rounded bg-white p-2 text-xs">{p.proposed}</pre>
          </details>
          {canFile && <FileTightenedTrustButton roleArn={p.roleArn} />}
        </>
      )}
    </div>
  );
}
