"use client";
// The rows of /mappings' per-service-account table, rendered from compact row
// data. As server components, 50 rows at issue 15's size sent about 2.5 kB of
// element tree each in the page's RSC payload, on top of their HTML; as props of
// one client component they send the values only (about a fifth of that), and
// the server renders the same HTML from them.
import Link from "next/link";
import { roleHref } from "@/lib/inventory/views/role-href";
import { MechanismBadge } from "../components/severity-badge";
import type { FindingHeadline } from "../components/finding-details";
import { RequestMappingLink } from "../components/ui/request-mapping-link";
import { FindingOnDemand } from "./finding-on-demand";

/** What one row shows: an AccessRow's fields, its findings as headlines only (detail and fix load when opened). */
export interface AccessRowData {
  key: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  mechanism: string;
  effective: boolean;
  irsaVia?: string;
  placement?: { summary: string; podIdentity: "supported" | "unsupported" | "unknown" };
  findings: FindingHeadline[];
}

function AccessRowView({ r, canRequest }: { r: AccessRowData; canRequest: boolean }) {
  return (
    <tr data-testid="access-row" data-service-account={r.serviceAccount} className="align-top">
      <td className="px-3 py-2">{r.cluster}</td>
      <td className="px-3 py-2">{r.namespace}</td>
      <td className="px-3 py-2 font-medium">
        {r.serviceAccount}
        {r.placement && (
          <div data-testid="placement" data-pod-identity={r.placement.podIdentity} className={`mt-1 text-xs font-normal ${r.placement.podIdentity === "unsupported" ? "text-amber-800" : "text-slate-500"}`}>
            runs on {r.placement.summary}
            {r.placement.podIdentity === "unsupported" && " (no Pod Identity: stays on IRSA)"}
          </div>
        )}
        {canRequest && <div className="mt-1 font-normal"><RequestMappingLink cluster={r.cluster} namespace={r.namespace} serviceAccount={r.serviceAccount} roleArn={r.roleArn} /></div>}
      </td>
      <td className="px-3 py-2">
        <Link href={roleHref(r.roleArn)} className="text-indigo-700 hover:underline" title={r.roleArn}>
          {r.roleArn.split("/").pop()}
        </Link>
        <div className="text-xs text-slate-500">{r.roleArn.split(":")[4]}</div>
      </td>
      <td className="px-3 py-2">
        <MechanismBadge mechanism={r.mechanism} />
        {!r.effective && <div className="mt-1 text-xs text-red-700">cannot assume</div>}
        {r.irsaVia && r.irsaVia !== "exact" && <div className="mt-1 text-xs text-slate-500">IRSA via {r.irsaVia}</div>}
      </td>
      <td className="px-3 py-2">
        {r.findings.length === 0 ? (
          <span className="text-xs text-slate-500">none</span>
        ) : (
          <div className="flex max-w-xl flex-col gap-1">
            {r.findings.map((f) => <FindingOnDemand key={f.id} finding={f} canRequest={canRequest} />)}
          </div>
        )}
      </td>
    </tr>
  );
}

export function AccessRowsBody({ rows, canRequest }: { rows: AccessRowData[]; canRequest: boolean }) {
  return rows.map((r) => <AccessRowView key={r.key} r={r} canRequest={canRequest} />);
}
