// Beside the decision: who else can already assume the role (and how), the pods
// running now with the service account, the requester's last requests, and
// links to the role, the mapping and this request's audit trail.
import Link from "next/link";
import type { DecisionContextView } from "@/lib/requests/queries";
import { MechanismBadge } from "@/app/components/severity-badge";
import { Time } from "@/app/components/ui";
import { roleNameOf } from "@/lib/requests/describe-item";
import { StatusBadge } from "../status-badge";

type Subject = { cluster: string; namespace: string; serviceAccount: string };

const mappingHref = (s: Subject) => `/mappings?${new URLSearchParams({ cluster: s.cluster, namespace: s.namespace, q: s.serviceAccount })}`;

export function DecisionContextPanel({ context, requestId, requester, showAudit, showInventory }: {
  context: DecisionContextView;
  requestId: string;
  requester: string;
  showAudit: boolean;
  showInventory: boolean;
}) {
  const inv = showInventory ? context.inventory : null;
  return (
    <aside aria-label="Context" className="space-y-5 text-sm" data-testid="decision-context">
      <nav aria-label="Related pages">
        <h2 className="mb-1 font-semibold">Links</h2>
        <ul className="space-y-0.5">
          {inv?.roles.map((r) => (
            <li key={r.roleArn}><Link className="text-indigo-800 underline" href={r.href}>Role {roleNameOf(r.roleArn)}</Link></li>
          ))}
          {inv?.pods.map((p) => (
            <li key={`${p.cluster}/${p.namespace}/${p.serviceAccount}`}><Link className="text-indigo-800 underline" href={mappingHref(p)}>Mapping of {p.namespace}/{p.serviceAccount} on {p.cluster}</Link></li>
          ))}
          {showAudit && <li><Link className="text-indigo-800 underline" href={`/audit?${new URLSearchParams({ requestId })}`}>Audit trail of this request</Link></li>}
        </ul>
      </nav>
      {showInventory && !inv && <p className="text-slate-700">No inventory scan yet: who else can assume the role and which pods run are unknown.</p>}
      {inv && (
        <>
          {inv.roles.map((r) => {
            const others = r.assumers.filter((a) => !a.thisRequest);
            return (
              <section key={r.roleArn} data-testid="role-assumers">
                <h2 className="mb-1 font-semibold">Who else can assume {roleNameOf(r.roleArn)} ({others.length})</h2>
                {!r.known && <p className="text-amber-900">The last scan did not see this role.</p>}
                {others.length === 0 ? <p className="text-slate-700">Nobody else, as of the last scan.</p> : (
                  <ul className="space-y-0.5">
                    {others.map((a) => (
                      <li key={`${a.cluster}/${a.namespace}/${a.serviceAccount}`} className="flex flex-wrap items-center gap-1">
                        <span>{a.namespace}/{a.serviceAccount} on {a.cluster}</span> <MechanismBadge mechanism={a.mechanism} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
          {inv.pods.map((s) => (
            <section key={`${s.cluster}/${s.namespace}/${s.serviceAccount}`} data-testid="sa-pods">
              <h2 className="mb-1 font-semibold">Pods running as {s.namespace}/{s.serviceAccount} ({s.pods.length})</h2>
              {!s.clusterKnown ? <p className="text-amber-900">The last scan did not see cluster {s.cluster}.</p> : s.pods.length === 0 ? <p className="text-slate-700">None: the mapping takes effect for pods started later.</p> : (
                <ul className="space-y-0.5">
                  {s.pods.map((p) => (
                    <li key={p.name}>
                      <span className="font-mono text-xs">{p.name}</span> · {p.phase} · credentials: <b>{p.credentials}</b> · started <Time at={p.createdAt} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
          <p className="text-xs text-slate-700">As of the last scan, <Time at={inv.scannedAt} />.</p>
        </>
      )}
      <section data-testid="requester-history">
        <h2 className="mb-1 font-semibold">{requester}&apos;s last requests</h2>
        {context.history.length === 0 ? <p className="text-slate-700">This is their first request.</p> : (
          <ul className="space-y-1">
            {context.history.map((h) => (
              <li key={h.id}>
                <Link className="text-indigo-800 underline" href={`/requests/${h.id}`}>{h.summary}</Link> <StatusBadge status={h.status} testId="history-status" /> <Time at={h.createdAt} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
