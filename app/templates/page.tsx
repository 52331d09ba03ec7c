import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { templatesPageView } from "@/lib/templates/page-view";
import { DataTable, Time } from "@/app/components/ui";
import { MapNowButton, NewTemplateForm, RevokeTemplateForm } from "./template-controls";

export const dynamic = "force-dynamic";

const STATE: Record<string, string> = { "would-map": "would be mapped", "has-association": "has an association already", mapped: "mapped by this template" };

/** /templates: standing approvals with their mappings, the matches pending and a dry run of what each would match now. */
export default async function TemplatesPage() {
  const user = await requireUser("requests:read");
  const { templates, total, truncated } = await templatesPageView();
  const mayFile = can(user.role, "requests:create");
  const mayRevoke = can(user.role, "templates:revoke");
  return (
    <section>
      <div className="mb-2 flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Standing approvals</h1>
        <Link href="/requests" className="text-sm text-slate-600 hover:underline">Requests</Link>
      </div>
      <p className="mb-4 max-w-3xl text-sm text-slate-600">
        A template is approved once by the IAM team: every new service account it matches (cluster, namespace, name pattern) that has no association is then mapped to its
        role after the next refresh or scan, with an audit row naming the template, and its pods restarted if they started without credentials. Editing files a new version
        that needs approval again (the current one keeps matching until then); revoking stops it at once and files one request removing every mapping it made.
      </p>
      {mayFile && <NewTemplateForm />}
      {templates.length === 0 && <p className="text-sm text-slate-500">No template yet.</p>}
      {truncated && <p className="mb-2 text-sm text-amber-800" role="status">Showing the first {templates.length} of {total} templates (by name).</p>}
      {templates.map((t) => (
        <article key={t.name} className="mb-6 rounded border border-slate-200 p-4" data-testid={`template-${t.name}`}>
          <header className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-lg font-semibold">
              {t.name} <span className="text-sm font-normal text-slate-500">v{t.current.version}</span>{" "}
              <span data-testid="template-status" className="rounded bg-slate-100 px-2 py-0.5 text-xs">
                {t.current.status === "pending" && t.current.request?.status !== "pending" ? `not approved (request ${t.current.request?.status ?? "gone"})` : t.current.status}
              </span>
            </h2>
            {mayRevoke && <RevokeTemplateForm id={t.current.id} revoked={t.current.status === "revoked"} />}
          </header>
          <dl className="mb-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-0.5 text-sm">
            <dt className="text-slate-500">Matches</dt>
            <dd className="break-all font-mono text-xs">{t.current.namespace}/{t.current.serviceAccountPattern} on {t.current.clusters.join(", ")}</dd>
            <dt className="text-slate-500">Role</dt>
            <dd className="break-all font-mono text-xs">{t.current.roleArn}{t.current.targetRoleArn ? ` -> ${t.current.targetRoleArn}` : ""}</dd>
            <dt className="text-slate-500">Limits</dt>
            <dd className="break-words text-xs">
              {t.current.maxMappings ? `at most ${t.current.maxMappings} mappings` : "no mapping limit"}; {t.current.mappingTtlDays ? `each for ${t.current.mappingTtlDays} days` : "mappings do not expire"};{" "}
              {t.current.expiresAt ? <>template expires <Time at={t.current.expiresAt} /></> : "template does not expire"}
            </dd>
            <dt className="text-slate-500">Versions</dt>
            <dd className="break-words text-xs">
              {t.versions.map((v) => (
                <span key={v.id} className="mr-3">
                  v{v.version} {v.status}
                  {v.requestId && <> (<Link className="text-blue-700 underline" href={`/requests/${v.requestId}`}>request</Link>)</>}
                  {v.approvedBy && <>, approved by {v.approvedBy}</>}
                </span>
              ))}
              {t.versionsTruncated && <span className="text-slate-500">(the newest {t.versions.length} of {t.versionsTotal})</span>}
            </dd>
          </dl>
          <h3 className="mt-3 text-sm font-semibold">
            Mappings ({t.mappingsTruncated ? `the first ${t.mappings.length} of ${t.mappingsTotal}` : t.mappingsTotal}), pending: {t.pendingMatches.length}
          </h3>
          <DataTable testId="template-mappings" head={["Service account", "Cluster", "Version", "Request", "Expires"]} empty={t.mappings.length === 0 ? "None yet." : undefined}>
            {t.mappings.map((m) => (
              <tr key={m.requestId}>
                <td className="px-3 py-1 font-mono text-xs">{m.namespace}/{m.serviceAccount}</td>
                <td className="px-3 py-1 text-xs">{m.cluster}</td>
                <td className="px-3 py-1 text-xs">v{m.templateVersion}</td>
                <td className="px-3 py-1 text-xs"><Link className="text-blue-700 underline" href={`/requests/${m.requestId}`}>{m.requestStatus}</Link>{m.revocationRequestId && <> (revoked: <Link className="text-blue-700 underline" href={`/requests/${m.revocationRequestId}`}>request</Link>)</>}</td>
                <td className="px-3 py-1 text-xs">{m.mappingExpiresAt ? <Time at={m.mappingExpiresAt} /> : "never"}</td>
              </tr>
            ))}
          </DataTable>
          <h3 className="mt-3 text-sm font-semibold">Dry run: service accounts it matches now{t.current.status === "pending" ? " (before approval)" : ""}</h3>
          {t.dryRun.errors.map((e) => <p key={e.cluster} role="alert" className="text-xs text-amber-700">{e.cluster}: not read ({e.error})</p>)}
          {t.dryRun.candidates.length === 0 ? (
            <p className="text-xs text-slate-500">No service account matches now.</p>
          ) : (
            <ul className="text-xs" data-testid="template-dry-run">
              {t.dryRun.candidates.map((c) => (
                <li key={`${c.cluster}/${c.serviceAccount}`} className="flex items-center gap-2">
                  <span className="font-mono">{c.cluster}: {c.namespace}/{c.serviceAccount}</span> <span className="text-slate-500">{STATE[c.state]}</span>
                  {c.state === "would-map" && t.current.status === "active" && mayFile && <MapNowButton id={t.current.id} cluster={c.cluster} serviceAccount={c.serviceAccount} />}
                </li>
              ))}
            </ul>
          )}
          {t.awaiting && (
            <div className="mt-3 rounded bg-amber-50 p-2 text-xs" data-testid="template-awaiting">
              <p>
                v{t.awaiting.version.version} awaits approval (<Link className="text-blue-700 underline" href={`/requests/${t.awaiting.version.requestId}`}>request</Link>):{" "}
                <span className="font-mono">{t.awaiting.version.namespace}/{t.awaiting.version.serviceAccountPattern} on {t.awaiting.version.clusters.join(", ")} -&gt; {t.awaiting.version.roleArn}</span>. Once approved it would match:{" "}
                {t.awaiting.dryRun.candidates.length ? t.awaiting.dryRun.candidates.map((c) => `${c.cluster}: ${c.namespace}/${c.serviceAccount}`).join(", ") : "nothing now"}.
              </p>
            </div>
          )}
        </article>
      ))}
    </section>
  );
}
