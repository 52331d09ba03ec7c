import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { stalePodsView } from "@/lib/stale-pods/queries";
import { AutoRestartToggle, RestartButtons } from "./stale-pod-controls";
import { DataTable, Time } from "../components/ui";

export const dynamic = "force-dynamic";

const REASONS: Record<string, string> = {
  "deleted-association": "association deleted",
  "changed-association": "association changed",
  "before-association": "started before its association",
};

/** /stale-pods: per cluster, pods running with stale or missing Pod Identity credentials. */
export default async function StalePodsPage() {
  const user = await requireUser("mappings:read");
  const clusters = await stalePodsView();
  const mayRestart = can(user.role, "requests:create");
  const admin = can(user.role, "lifecycle:manage");
  return (
    <section>
      <h1 className="text-2xl font-semibold">Stale-credential pods</h1>
      <p className="mb-4 text-sm text-slate-600">
        Deleting or changing an association does not revoke running pods (credentials are cached for hours), and pods started before their association got none. Restarting
        deletes the pods through the Kubernetes API; their controllers re-create them. Restarts need approval unless an admin enabled automatic restarts for the namespace.
      </p>
      {clusters.length === 0 && <p className="text-sm text-slate-500">No watched cluster yet: refresh the mappings first.</p>}
      {clusters.map((c) => (
        <div key={c.clusterId} className="mb-6" data-testid={`stale-cluster-${c.name}`}>
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-lg font-semibold">
              {c.name} <span className="text-sm font-normal text-slate-500">({c.pods.length} stale)</span>
            </h2>
            {c.pods.length > 0 && <RestartButtons clusterId={c.clusterId} allowed={mayRestart} />}
          </div>
          {c.error && <p role="alert" className="text-sm text-amber-700">Pods not checked: {c.error}</p>}
          {admin && c.namespaces.length > 0 && (
            <div className="mb-2 flex flex-wrap gap-4">
              {c.namespaces.map((n) => (
                <AutoRestartToggle key={n.namespace} clusterId={c.clusterId} namespace={n.namespace} enabled={n.autoRestart} />
              ))}
            </div>
          )}
          {!admin && c.namespaces.some((n) => n.autoRestart) && (
            <p className="text-xs text-slate-600">Automatic restarts: {c.namespaces.filter((n) => n.autoRestart).map((n) => n.namespace).join(", ")}.</p>
          )}
          {c.pods.length === 0 && !c.error ? (
            <p className="text-sm text-slate-500">None.</p>
          ) : (
            c.pods.length > 0 && (
              <DataTable head={["Pod", "Service account", "Reason", "Started", "Association changed"]}>
                {c.pods.map((p) => (
                  <tr key={p.uid} className="align-top" data-testid="stale-pod-row">
                    <td className="px-3 py-2 font-mono text-xs">
                      {p.namespace}/{p.name}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{p.serviceAccount}</td>
                    <td className="px-3 py-2 text-xs" title={p.detail}>
                      {REASONS[p.reason] ?? p.reason}
                    </td>
                    <td className="px-3 py-2 text-xs"><Time at={p.startedAt} /></td>
                    <td className="px-3 py-2 text-xs">{p.associationChangedAt ?? "deleted"}</td>
                  </tr>
                ))}
              </DataTable>
            )
          )}
        </div>
      ))}
    </section>
  );
}
