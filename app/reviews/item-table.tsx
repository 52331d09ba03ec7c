import Link from "next/link";
import type { CampaignItem } from "@/lib/reviews/queries";
import { Time } from "../components/ui";
import { DecisionForm } from "./decision-form";

/** How an IRSA edge lets the SA in (lib/inventory/analysis/model.ts): a wildcard or any-sa revoke tightens that statement. */
const VIA: Record<string, string> = { exact: "exact subject", wildcard: "via wildcard subject", "any-sa": "via trust without :sub (any SA)", evaluated: "via evaluated trust" };

/** Review items with their evidence; `decide` shows keep/revoke for the signed-in reviewer's undecided items. */
export function ItemTable({ campaignId, items, decideAs }: { campaignId: string; items: CampaignItem[]; decideAs?: string }) {
  return (
    <div className="overflow-x-auto">
    <table className="w-full border-collapse bg-white text-sm">
      <thead>
        <tr className="border-b text-left text-slate-600">
          <th className="p-2">Mapping</th><th className="p-2">Role last used</th><th className="p-2">Running pods</th><th className="p-2">Approved</th><th className="p-2">Findings</th><th className="p-2">Reviewer</th><th className="p-2">Decision</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id} data-testid="review-item" data-sa={i.serviceAccount} className="border-b align-top">
            <td className="p-2">
              <span className="text-xs uppercase text-slate-500">{i.mechanism}</span>
              {i.via && <span data-testid="review-via" className="ml-1 text-xs text-slate-600">{VIA[i.via] ?? i.via}</span>}
              <span className="block font-mono text-xs">{i.cluster} {i.namespace}/{i.serviceAccount}</span>
              <span className="block font-mono text-xs text-slate-600">{i.roleArn}</span>
            </td>
            <td className="p-2">{i.evidence.roleLastUsed ? <Time at={i.evidence.roleLastUsed} /> : "never"}</td>
            <td className="p-2">{i.evidence.runningPods.length ? i.evidence.runningPods.join(", ") : "none"}</td>
            <td className="p-2">
              {i.evidence.approvedAt ? <>{i.evidence.approvedBy.join(", ")}, <Time at={i.evidence.approvedAt} /></> : "not through RoleGate"}
              {i.evidence.requesters.length > 0 && <span className="block text-xs text-slate-500">requested by {i.evidence.requesters.join(", ")}</span>}
            </td>
            <td className="p-2 text-xs">{i.evidence.findings.length ? i.evidence.findings.map((f) => `${f.severity}: ${f.title}`).join("; ") : "none"}</td>
            <td className="p-2">{i.reviewer}<span className="block text-xs text-slate-500">{i.reviewerRule}</span></td>
            <td className="p-2">
              {i.suggestion === "revoke" && !i.decision && <span data-testid="suggest-revoke" className="mb-1 block rounded bg-amber-100 px-1 text-xs text-amber-900">suggest revoke (unused)</span>}
              {i.decision ? (
                <span data-testid="decision">
                  {i.decision} by {i.decidedBy}
                  {i.decisionComment ? `: ${i.decisionComment}` : ""}
                  {i.requestId && <Link className="block text-blue-700 underline" href={`/requests/${i.requestId}`}>request {i.requestStatus}</Link>}
                </span>
              ) : decideAs === i.reviewer ? (
                <DecisionForm campaignId={campaignId} itemId={i.id} />
              ) : (
                <span className="text-slate-500">pending</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
