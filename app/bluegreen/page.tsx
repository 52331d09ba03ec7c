import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import type { RoleTrustPlan } from "@/lib/bluegreen/plan";
import { blueGreenView } from "@/lib/bluegreen/queries";
import { NoScanYet } from "../components/no-scan-yet";
import { RescanButton } from "../components/rescan-button";
import { BlueGreenAction } from "./bluegreen-actions";
import { Arn, CopyButton, PageHeader, Time } from "../components/ui";

export const dynamic = "force-dynamic";

function TrustDiffs({ roles }: { roles: RoleTrustPlan[] }) {
  return (
    <ul className="space-y-2">
      {roles.map((r) => (
        <li key={r.roleArn} data-testid="bluegreen-role">
          <details>
            <summary className="cursor-pointer text-sm">
              <span className="break-all font-mono">{r.roleArn}</span>
              <span className="ml-2 text-xs text-slate-500">{r.subjects.length ? r.subjects.join(", ") : "no :sub condition (any service account of the issuer)"}</span>
              {r.sizeWarning && <span className="ml-2 text-xs text-amber-700">{r.sizeWarning}</span>}
            </summary>
            <p className="mt-1"><CopyButton text={r.roleArn} label="Copy role ARN" /></p>
            <pre tabIndex={0} className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
              {r.edit.diff.split("\n").map((line, i) => (
                <span key={i} className={line.startsWith("+") ? "text-emerald-700" : line.startsWith("-") ? "text-red-700" : undefined}>
                  {line}
                  {"\n"}
                </span>
              ))}
            </pre>
          </details>
        </li>
      ))}
    </ul>
  );
}

/** /bluegreen: per Blue/Green pair, the mappings still missing on Green (both mechanisms) and the requests that move them; clean-up of retired issuers. */
export default async function BlueGreenPage() {
  const user = await requireUser("inventory:read");
  const view = await blueGreenView();
  const canScan = can(user.role, "inventory:scan");
  const canFile = can(user.role, "requests:create");
  return (
    <section>
      <PageHeader title="Blue/Green" actions={<RescanButton allowed={canScan} />}>
        <p className="text-sm text-slate-600">
          {view.scannedAt ? <>From the scan of <Time at={view.scannedAt} />. </> : ""}
          Pairs are clusters named -blue/-green or configured in ROLEGATE_BLUE_GREEN_PAIRS. Every change is a request that needs approval; rescan after it is applied.
        </p>
      </PageHeader>
      {!view.scanId ? (
        <NoScanYet canScan={canScan} />
      ) : (
        <>
          {view.pairs.length === 0 && <p className="mb-4 text-sm text-slate-500">No Blue/Green pair in the latest scan.</p>}
          {view.pairs.map((p) => (
            <div key={p.name} data-testid="bluegreen-pair" className="mb-6 rounded border border-slate-200 bg-white p-4">
              <h2 className="text-lg font-semibold">
                <span className="text-blue-700">{p.blue}</span> → <span className="text-emerald-700">{p.green}</span>
              </h2>
              {p.error && <p role="alert" className="text-sm text-red-700">{p.error}</p>}
              {p.plan && (
                <>
                  <h3 className="mt-3 font-semibold">Pod Identity associations missing on {p.green} ({p.plan.copies.length})</h3>
                  {p.plan.copies.length === 0 ? (
                    <p className="text-sm text-slate-500">Every association of {p.blue} exists on {p.green}.</p>
                  ) : (
                    <>
                      <div className="overflow-x-auto">
                      <table className="mt-1 w-full text-left text-sm">
                        <thead className="text-xs text-slate-500">
                          <tr><th>Namespace / service account</th><th>Role</th><th>Target role</th><th>Session tags</th></tr>
                        </thead>
                        <tbody>
                          {p.plan.copies.map((c) => (
                            <tr key={`${c.namespace}/${c.serviceAccount}`} data-testid="bluegreen-copy" className="border-t border-slate-100">
                              <td className="font-mono text-xs">{c.namespace}/{c.serviceAccount}</td>
                              <td><Arn arn={c.roleArn} /></td>
                              <td>{c.targetRoleArn ? <Arn arn={c.targetRoleArn} /> : "—"}</td>
                              <td className="text-xs">{c.disableSessionTags ? "disabled" : "on"}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                      </div>
                      <p className="mt-2 text-xs text-slate-600">One batch request; each item gets its prechecks (shown on the request before approval) and its own apply status; failed items can be retried.</p>
                      <div className="mt-2"><BlueGreenAction kind="copy" blue={p.blue} green={p.green} label={`Copy ${p.plan.copies.length} mapping(s) to ${p.green}`} allowed={canFile} /></div>
                    </>
                  )}
                  {p.plan.skipped.length > 0 && (
                    <div className="mt-2 text-sm">
                      <h4 className="font-medium text-amber-800">Not copied ({p.plan.skipped.length})</h4>
                      <ul className="list-disc pl-5 text-xs">
                        {p.plan.skipped.map((s) => (
                          <li key={`${s.namespace}/${s.serviceAccount}`}><span className="font-mono">{s.namespace}/{s.serviceAccount}</span>: {s.reason}</li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {p.plan.repointBlocked.length > 0 && (
                    <div className="mt-2 text-sm">
                      <h4 className="font-medium text-amber-800">IRSA roles that cannot be re-pointed yet ({p.plan.repointBlocked.length})</h4>
                      <ul className="list-disc pl-5 text-xs">
                        {p.plan.repointBlocked.map((r) => (
                          <li key={r.roleArn}><Arn arn={r.roleArn} className="" />: {r.reason}</li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {p.plan.repointLeftOut.length > 0 && (
                    <div className="mt-2 text-sm" data-testid="bluegreen-repoint-left-out">
                      <h4 className="font-medium text-amber-800">Not re-pointed ({p.plan.repointLeftOut.length})</h4>
                      <ul className="list-disc pl-5 text-xs">
                        {p.plan.repointLeftOut.map((r) => (
                          <li key={r.roleArn}><Arn arn={r.roleArn} className="" />: {r.reasons.join(" ")}</li>
                        ))}
                      </ul>
                    </div>
                  )}
                  <h3 className="mt-4 font-semibold">IRSA roles trusting {p.blue} but not {p.green} ({p.plan.repoint.length})</h3>
                  {p.plan.repoint.length === 0 ? (
                    <p className="text-sm text-slate-500">Every IRSA statement for {p.blue}&apos;s issuer has its twin for {p.green}.</p>
                  ) : (
                    <>
                      <p className="text-xs text-slate-600">Each role gets a statement with the same subjects for {p.green}&apos;s issuer (UpdateAssumeRolePolicy); the IAM team approves. The Blue statements stay until Blue is retired.</p>
                      <TrustDiffs roles={p.plan.repoint} />
                      <div className="mt-2"><BlueGreenAction kind="repoint" blue={p.blue} green={p.green} label={`Re-point ${p.plan.repoint.length} role(s) to ${p.green}`} allowed={canFile} /></div>
                    </>
                  )}
                </>
              )}
            </div>
          ))}
          <h2 className="text-lg font-semibold">Clean-up of retired issuers</h2>
          <p className="mb-2 text-sm text-slate-600">
            EKS cluster issuers (oidc.eks.&lt;region&gt;.amazonaws.com/id/…) named in trust policies whose account and region RoleGate watches with every cluster, and that no cluster there has (or whose cluster is listed in ROLEGATE_RETIRED_CLUSTERS). The clean-up removes only that issuer&apos;s statements (or its provider and condition keys from a shared statement); statements of clusters that still exist are never removed, and a trust policy is never left with no statement.
          </p>
          {view.retired.length === 0 && <p className="text-sm text-slate-500">None.</p>}
          {view.retired.map((r) => (
            <div key={r.host} data-testid="bluegreen-retired" className="mb-4 rounded border border-slate-200 bg-white p-4">
              <h3 className="font-semibold">
                <span className="font-mono text-sm">{r.host}</span>
                {r.cluster && <span className="ml-2 text-sm font-normal text-slate-600">(was {r.cluster})</span>}
              </h3>
              {r.error && <p role="alert" className="text-sm text-red-700">{r.error}</p>}
              {r.plan && <TrustDiffs roles={r.plan.roles} />}
              {r.plan && r.plan.refused.length > 0 && (
                <ul className="mt-2 list-disc pl-5 text-xs text-amber-800" data-testid="bluegreen-cleanup-refused">
                  {r.plan.refused.map((x) => (
                    <li key={x.roleArn}><span className="font-mono">{x.roleArn}</span>: {x.reason}</li>
                  ))}
                </ul>
              )}
              {r.plan && r.plan.roles.length > 0 && (
                <div className="mt-2"><BlueGreenAction kind="cleanup" issuer={r.host} label={`Remove this issuer from ${r.plan.roles.length} role(s)`} allowed={canFile} /></div>
              )}
            </div>
          ))}
          <h2 className="mt-6 text-lg font-semibold">Other web-identity issuers</h2>
          <p className="mb-2 text-sm text-slate-600">Named in trust policies but never offered for clean-up: other identity providers (GitHub Actions, GitLab, Terraform Cloud, Google, Cognito…), and EKS issuers of accounts or regions RoleGate does not fully watch.</p>
          {view.other.length === 0 && <p className="text-sm text-slate-500">None.</p>}
          <ul className="space-y-1 text-sm">
            {view.other.map((o) => (
              <li key={o.issuer} data-testid="bluegreen-other-issuer" data-kind={o.kind}>
                <span className="font-mono">{o.issuer}</span> <span className="rounded bg-slate-100 px-1 text-xs">{o.kind === "non-eks" ? "not an EKS issuer" : "unknown"}</span>
                <span className="ml-2 text-xs text-slate-600">{o.reason} Trusted by {o.roles.join(", ")}.</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
