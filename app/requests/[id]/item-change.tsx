// One item of the request: what changes in words, its state, the exact AWS call
// and, for an IAM item, its statements against the role's current policy.
import type { ItemDiff } from "@/lib/requests/decision-context";
import { awsCallText, describeItem } from "@/lib/requests/describe-item";
import type { RequestView } from "@/lib/requests/get-request";
import { PolicyDiffView } from "./policy-diff-view";

type Item = RequestView["items"][number];

const ITEM_TONE: Record<string, string> = {
  applied: "bg-green-100 text-green-950",
  failed: "bg-red-100 text-red-950",
  rejected: "bg-red-100 text-red-950",
  cancelled: "bg-slate-200 text-slate-900",
  expired: "bg-slate-200 text-slate-900",
};

export function ItemChange({ item: i, diff, scannedAt }: { item: Item; diff?: ItemDiff; scannedAt?: string }) {
  return (
    <article className="mb-3 rounded border border-slate-300 p-3 text-sm" data-testid="request-item" data-kind={i.kind}>
      <p className="flex flex-wrap items-baseline gap-2">
        <b>{describeItem(i)}</b>
        <span className={`rounded px-1.5 text-xs ${ITEM_TONE[i.status] ?? "bg-amber-100 text-amber-950"}`}>
          item <span data-testid="item-status">{i.status}</span>{i.attempts ? ` after ${i.attempts} attempt(s)` : ""}
        </span>
      </p>
      <p className="font-mono text-xs text-slate-700">{i.kind} {i.cluster} / {i.namespace} / {i.serviceAccount} → {i.roleArn ?? "(revoke)"}</p>
      {i.result && <p className="text-green-900">Association <span data-testid="association-id">{i.result.associationId}</span>{i.outcome === "adopted" ? " (adopted existing)" : ""}{i.result.externalId ? ` · external id ${i.result.externalId}` : ""}</p>}
      {i.error && <p role="alert" className="text-red-800">AWS error {i.error.code}: {i.error.message}</p>}
      {diff && <PolicyDiffView diff={diff} scannedAt={scannedAt} />}
      <details className="mt-2" open={!diff}>
        <summary className="cursor-pointer text-slate-700">The exact AWS call: {i.awsCall?.operation}</summary>
        <pre tabIndex={0} className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-testid="aws-call">{awsCallText(i.awsCall as never)}</pre>
      </details>
    </article>
  );
}
