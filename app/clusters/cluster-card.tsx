import Link from "next/link";
import type { ClusterSummary } from "@/lib/inventory/views/cluster-summaries";
import { roleHref } from "@/lib/inventory/views/role-summaries";
import type { ClusterAccessView } from "@/lib/cluster-access/queries";
import { AccessPanel } from "./access-panel";

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-semibold">{value}</dd>
    </div>
  );
}

/** One cluster: status, issuer, Pod Identity agent add-on, node groups and their roles, counts. */
export function ClusterCard({ cluster: c, access }: { cluster: ClusterSummary; access?: ClusterAccessView }) {
  return (
    <article data-testid="cluster-card" data-cluster={c.name} className="rounded border border-slate-200 bg-white p-4 text-sm">
      <header className="mb-2 flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold">{c.name}</h2>
        <span className="rounded bg-slate-100 px-1.5 text-xs">{c.status}</span>
        {c.version && <span className="text-xs text-slate-500">v{c.version}</span>}
        {c.pair && (
          <span data-testid="pair" className={`rounded px-1.5 text-xs font-medium ${c.pair.color === "blue" ? "bg-blue-100 text-blue-800" : "bg-emerald-100 text-emerald-800"}`}>
            {c.pair.color === "blue" ? "Blue" : "Green"} of {c.pair.name}, paired with {c.pair.partner}
          </span>
        )}
      </header>
      <p className="text-xs text-slate-500">{c.accountId} / {c.region}</p>
      <dl className="mt-2 space-y-1">
        <div>
          <dt className="inline text-slate-600">OIDC issuer: </dt>
          <dd className="inline">
            <span className="break-all font-mono text-xs">{c.oidcIssuer ?? "none"}</span>
            {c.oidcIssuer && !c.issuerRegistered && <span className="ml-1 text-xs text-red-700">(no IAM OIDC provider: IRSA cannot work)</span>}
          </dd>
        </div>
        <div data-testid="addon">
          <dt className="inline text-slate-600">Pod Identity agent add-on: </dt>
          <dd className={`inline font-medium ${c.agent.via !== "none" ? "text-emerald-700" : "text-red-700"}`}>
            {c.addonInstalled ? "installed" : c.agent.via !== "none" ? `not needed: ${c.agent.detail}` : c.associations > 0 ? "not installed (associations will not work)" : "not installed"}
          </dd>
        </div>
        {(c.fargateProfiles.length > 0 || c.windowsNodegroups.length > 0) && (
          <div data-testid="no-pod-identity-compute" className="text-xs text-amber-800">
            <dt className="sr-only">Compute without Pod Identity</dt>
            <dd>No Pod Identity on {[...c.fargateProfiles.map((f) => `Fargate profile ${f}`), ...c.windowsNodegroups.map((n) => `Windows node group ${n}`)].join(", ")}: workloads there stay on IRSA.</dd>
          </div>
        )}
        <div>
          <dt className="text-slate-600">Node groups</dt>
          <dd>
            <ul className="ml-4 list-disc">
              {c.nodegroups.map((n) => (
                <li key={n.name}>
                  {n.name}: <Link className="text-indigo-700 hover:underline" href={roleHref(n.nodeRoleArn)}>{n.nodeRoleArn.split("/").pop()}</Link>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <dl className="mt-3 grid grid-cols-3 gap-2 sm:grid-cols-6">
        <Count label="Service accounts" value={c.serviceAccounts} />
        <Count label="Pods" value={c.pods} />
        <Count label="Associations" value={c.associations} />
        <Count label="IRSA SAs" value={c.irsaServiceAccounts} />
        <Count label="Edges" value={c.irsaEdges + c.podIdentityEdges} />
        <Count label="Findings" value={c.findings} />
      </dl>
      {c.errors.length > 0 && (
        <ul role="alert" className="mt-2 text-xs text-red-700">
          {c.errors.map((e) => <li key={e}>{e}</li>)}
        </ul>
      )}
      <AccessPanel view={access} />
      <p className="mt-2 text-xs">
        <Link className="text-indigo-700 hover:underline" href={`/mappings?cluster=${encodeURIComponent(c.name)}`}>Service accounts and roles</Link>
        {" · "}
        <Link className="text-indigo-700 hover:underline" href={`/usage#${encodeURIComponent(c.name)}`}>Usage</Link>
      </p>
    </article>
  );
}
