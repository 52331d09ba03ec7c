import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { clusterAccessViews } from "@/lib/cluster-access/queries";
import { inventoryView } from "@/lib/inventory/queries";
import { NoScanYet } from "../components/no-scan-yet";
import { RescanButton } from "../components/rescan-button";
import { ClusterCard } from "./cluster-card";
import { PageHeader, Time } from "../components/ui";

export const dynamic = "force-dynamic";

/** /clusters: issuer, add-on, node roles, counts, Blue/Green pairs and RoleGate's own access of every watched cluster. */
export default async function ClustersPage() {
  const user = await requireUser("inventory:read");
  const view = await inventoryView();
  const canScan = can(user.role, "inventory:scan");
  const access = view ? await clusterAccessViews(view.clusters.map((c) => ({ name: c.name, arn: c.arn, accountId: c.accountId, region: c.region }))) : {};
  return (
    <section>
      <PageHeader title="Clusters" actions={<RescanButton allowed={canScan} />}>
        {view && <p className="text-sm text-slate-600">From the scan of <Time at={view.scannedAt} /> ({view.scanStatus}).</p>}
      </PageHeader>
      {!view ? (
        <NoScanYet canScan={canScan} />
      ) : (
        <>
          {view.pairs.length > 0 && (
            <div data-testid="blue-green-pairs" className="mb-4 rounded border border-slate-200 bg-white p-3 text-sm">
              <h2 className="mb-1 font-semibold">Blue/Green pairs</h2>
              <ul>
                {view.pairs.map((p) => (
                  <li key={p.name}>
                    <span className="font-medium">{p.name}</span>: <span className="text-blue-700">{p.blue}</span> (Blue) ↔ <span className="text-emerald-700">{p.green}</span> (Green)
                    <span className="ml-2 text-xs text-slate-500">{p.source === "name" ? "paired by name" : "configured in ROLEGATE_BLUE_GREEN_PAIRS"}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            {view.clusters.map((c) => <ClusterCard key={c.arn} cluster={c} access={access[c.name]} />)}
          </div>
        </>
      )}
    </section>
  );
}
