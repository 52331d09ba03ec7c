import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { inventoryView } from "@/lib/inventory/queries";
import { roleDetail } from "@/lib/inventory/views/role-detail";
import { roleArnFromSegments } from "@/lib/inventory/views/role-summaries";
import { tightenedTrustView } from "@/lib/tightening/queries";
import { FindingDetails } from "../../components/finding-details";
import { MechanismBadge } from "../../components/severity-badge";
import { TightenedTrustPanel } from "./tightened-trust-panel";
import { TrustPolicyView } from "./trust-policy-view";
import { Arn, RequestMappingLink } from "../../components/ui";

export const dynamic = "force-dynamic";

/** /roles/<account>/<path>/<name>: who can assume the role, its trust policy, findings and fixes. */
export default async function RolePage({ params }: { params: Promise<{ arn: string[] }> }) {
  const user = await requireUser("inventory:read");
  const canRequest = can(user.role, "requests:create");
  const arn = roleArnFromSegments((await params).arn);
  const view = arn ? await inventoryView() : null;
  const detail = arn && view ? roleDetail(view.snapshot, view.analysis, arn) : null;
  if (!detail) notFound();
  const { role, mappings, patterns, findings } = detail;
  // Only roles whose trust lets pods.eks.amazonaws.com in unconditioned (the scan's analysis) are read live from IAM.
  const tighten = detail.podIdentityOpen ? await tightenedTrustView(role.arn) : null;
  return (
    <section className="space-y-6">
      <div>
        <p className="text-sm"><Link href="/roles" className="text-indigo-700 hover:underline">Roles</Link></p>
        <h1 className="text-2xl font-semibold">{role.roleName}</h1>
        <p className="text-slate-600"><Arn arn={role.arn} /></p>
        {canRequest && <RequestMappingLink roleArn={role.arn} className="mt-2 inline-block rounded bg-slate-900 px-3 py-1.5 text-sm text-white" />}
      </div>
      <div>
        <h2 className="mb-2 text-lg font-semibold">Who can assume it ({mappings.length})</h2>
        {patterns.length > 0 && (
          <ul data-testid="pattern-edges" className="mb-2 space-y-1 text-sm">
            {patterns.map((p) => (
              <li key={`${p.cluster}:${p.label}`} className="rounded bg-amber-50 px-2 py-1">
                <span className="font-medium">{p.label}</span> on {p.cluster} — {p.matches.length} existing service account{p.matches.length === 1 ? "" : "s"} match
              </li>
            ))}
          </ul>
        )}
        <div className="overflow-x-auto">
        <table data-testid="role-assumers" className="min-w-full rounded border border-slate-200 bg-white text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr><th className="px-3 py-2">Cluster</th><th className="px-3 py-2">Namespace</th><th className="px-3 py-2">Service account</th><th className="px-3 py-2">How</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {mappings.map((m) => (
              <tr key={`${m.cluster}/${m.namespace}/${m.serviceAccount}`}>
                <td className="px-3 py-1.5">{m.cluster}</td>
                <td className="px-3 py-1.5">{m.namespace}</td>
                <td className="px-3 py-1.5 font-medium">{m.serviceAccount}</td>
                <td className="px-3 py-1.5">
                  <MechanismBadge mechanism={m.mechanism} />
                  {m.podIdentity && !m.podIdentity.allowed && <span className="ml-2 text-xs text-red-700">trust refuses it</span>}
                  {m.irsa && m.irsa.via !== "exact" && <span className="ml-2 text-xs text-slate-500">IRSA via {m.irsa.via}</span>}
                </td>
              </tr>
            ))}
            {mappings.length === 0 && <tr><td colSpan={4} className="px-3 py-3 text-slate-500">No known service account can assume this role.</td></tr>}
          </tbody>
        </table>
        </div>
      </div>
      <TrustPolicyView statements={detail.statements} raw={role.trustPolicy} parseError={detail.parseError} />
      {tighten && <TightenedTrustPanel view={tighten} canFile={can(user.role, "requests:create")} />}
      <div>
        <h2 className="mb-2 text-lg font-semibold">Findings ({findings.length})</h2>
        <div data-testid="role-findings" className="space-y-2">
          {findings.map((f) => <FindingDetails key={f.id} finding={f} open canRequest={canRequest} />)}
          {findings.length === 0 && <p className="text-sm text-slate-500">Nothing wrong found with this role.</p>}
        </div>
      </div>
    </section>
  );
}
