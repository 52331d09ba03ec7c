import Link from "next/link";
import { Time } from "../components/ui";
import { mappingHref } from "./query-href";

type Applied = { requestId: string; kind: string; cluster: string; namespace: string; serviceAccount: string; roleArn: string | null; appliedAt: Date | null };

/** Requests applied after the scan this view shows: there at once, each linked to its request and its mapping, until a rescan analyses them. */
export function AppliedSinceScan({ items }: { items: Applied[] }) {
  if (items.length === 0) return null;
  return (
    <div data-testid="applied-since-scan" className="mb-4 rounded border border-emerald-200 bg-emerald-50 p-3 text-sm">
      <h2 className="font-semibold text-emerald-900">Applied since this scan</h2>
      <p className="text-xs text-emerald-900">Rescan to see their findings; the association list already has them.</p>
      <ul className="mt-1 space-y-1">
        {items.map((i) => (
          <li key={`${i.requestId}-${i.cluster}-${i.namespace}-${i.serviceAccount}`} className="flex flex-wrap gap-x-2">
            <span className="font-medium">{i.kind}</span>
            <span>{i.cluster} / {i.namespace} / {i.serviceAccount}</span>
            {i.roleArn && <span className="font-mono text-xs">{i.roleArn}</span>}
            {i.appliedAt && <Time at={i.appliedAt} />}
            <Link className="text-indigo-700 hover:underline" href={`/requests/${i.requestId}`}>request</Link>
            {i.kind !== "delete" && <Link className="text-indigo-700 hover:underline" href={mappingHref(i)}>mapping</Link>}
          </li>
        ))}
      </ul>
    </div>
  );
}
