import { requireUser } from "@/lib/auth/require-user";
import { approvalPoliciesView } from "@/lib/requests/queries";
import { PolicyForm, type PolicyDraft } from "./policy-form";
import { DataTable, Time } from "../../components/ui";

export const dynamic = "force-dynamic";

export default async function ApprovalPoliciesPage() {
  await requireUser("policies:manage");
  const { policies, total, truncated } = await approvalPoliciesView();
  const drafts: PolicyDraft[] = policies.map(({ latest: p }) => ({
    name: p.name,
    previousVersion: p.version,
    requiredApprovals: p.requiredApprovals,
    approverRole: p.approverRole === "admin" ? "admin" : "approver",
    accountPattern: p.accountPattern,
    regionPattern: p.regionPattern,
    clusterPattern: p.clusterPattern,
    namespacePattern: p.namespacePattern,
    rolePattern: p.rolePattern,
    active: p.active,
  }));
  return (
    <section className="max-w-5xl">
      <h1 className="mb-2 text-2xl font-semibold">Approval policies</h1>
      <p className="mb-4 text-sm text-slate-600">
        Each item of a request is governed by the active policy whose account, region, cluster, namespace and role patterns match it: the highest
        priority wins, then the most specific patterns, then the newest; without a match it needs one approval from the approver role. The request
        needs, for every approver role, the largest count any of its items needs. Each request keeps the policy versions it was filed under; a new
        version applies to requests filed after it and deactivates the older versions of the same policy.
      </p>
      <PolicyForm policies={drafts} />
      {truncated && (
        <p className="mt-4 text-sm text-amber-800" role="status">
          Showing the first {policies.length} of {total} policies (by name).
        </p>
      )}
      {!policies.length && <p className="mt-6 text-sm text-slate-500">No policies yet: every request needs one approval from the approver role.</p>}
      {policies.map((p) => (
        <div key={p.name} className="mt-6" data-testid={`policy-${p.name}`}>
          <h2 className="mb-1 text-lg font-medium">
            {p.name}{" "}
            <span className="text-sm font-normal text-slate-500">
              {p.versions.some((v) => v.active) ? `active: v${p.versions.find((v) => v.active)!.version}` : "inactive"} · priority {p.latest.priority}
            </span>
          </h2>
          <DataTable head={["Version", "Approvals", "From", "Account", "Region", "Cluster", "Namespace", "Role", "Requests", "Created", "State"]}>
            {p.versions.map((v) => (
              <tr key={v.id} className={v.active ? "" : "text-slate-500"}>
                <td className="px-3 py-2">v{v.version}</td>
                <td className="px-3 py-2">{v.requiredApprovals}</td>
                <td className="px-3 py-2">{v.approverRole}</td>
                <td className="px-3 py-2"><code>{v.accountPattern}</code></td>
                <td className="px-3 py-2"><code>{v.regionPattern}</code></td>
                <td className="px-3 py-2"><code>{v.clusterPattern}</code></td>
                <td className="px-3 py-2"><code>{v.namespacePattern}</code></td>
                <td className="break-all px-3 py-2"><code>{v.rolePattern}</code></td>
                <td className="px-3 py-2">{v.requests}</td>
                <td className="px-3 py-2"><Time at={v.createdAt} />{v.createdBy ? ` by ${v.createdBy}` : ""}</td>
                <td className="px-3 py-2">{v.active ? <span className="rounded bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">active</span> : "inactive"}</td>
              </tr>
            ))}
          </DataTable>
          {p.versionsTruncated && <p className="mt-1 text-xs text-slate-500">The newest {p.versions.length} of {p.versionsTotal} versions.</p>}
        </div>
      ))}
    </section>
  );
}
