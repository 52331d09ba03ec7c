import { Arn } from "../components/ui";
import type { ClusterAccessView } from "@/lib/cluster-access/queries";

function Can({ label, ok }: { label: string; ok: boolean }) {
  return (
    <li>
      <span className={ok ? "text-emerald-700" : "text-red-700"}>{ok ? "✓" : "✗"}</span> {label}
    </li>
  );
}

/** RoleGate's own access to the cluster's Kubernetes API, with the commands that grant what is missing. */
export function AccessPanel({ view }: { view: ClusterAccessView | undefined }) {
  if (!view) return null;
  if (!view.ok) {
    return (
      <div data-testid="rolegate-access" className="mt-3 rounded border border-amber-200 bg-amber-50 p-2 text-xs">
        <p className="font-semibold">RoleGate&apos;s access</p>
        <p role="alert" className="text-amber-800">Could not be read: {view.error}</p>
      </div>
    );
  }
  const a = view.access;
  return (
    <div data-testid="rolegate-access" className="mt-3 rounded border border-slate-200 bg-slate-50 p-2 text-xs">
      <p className="font-semibold">RoleGate&apos;s access</p>
      <p>
        Principal: <Arn arn={a.principalArn} className="" />
        {a.callerArn !== a.principalArn && <span className="text-slate-500"> (as {a.callerArn})</span>}
      </p>
      <p data-testid="access-entry">
        EKS access entry:{" "}
        {a.entry ? (
          <span className="text-emerald-700">{a.entry.policies.map((p) => `${p.policyArn.split("/").pop()} (${p.scope === "cluster" ? "cluster" : p.namespaces.join(", ")})`).join("; ") || "no access policy"}</span>
        ) : (
          <span className="text-red-700">none (every Kubernetes call is refused)</span>
        )}
      </p>
      <ul>
        <Can label="list service accounts" ok={a.canListServiceAccounts} />
        <Can label="list pods" ok={a.canListPods} />
        <Can label={`delete pods in ${a.deleteNamespace} (stale-pod restarts)`} ok={a.canDeletePods} />
      </ul>
      {a.fixCommands.length > 0 && (
        <div data-testid="access-fix">
          <p className="mt-1">Grant what is missing:</p>
          <pre tabIndex={0} className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-white p-1 font-mono">{a.fixCommands.join("\n")}</pre>
        </div>
      )}
    </div>
  );
}
