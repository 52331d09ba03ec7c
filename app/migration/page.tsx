import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { migrationView } from "@/lib/migration/queries";
import type { MigrationRow } from "@/lib/migration/service";
import { MigrationStep } from "./migration-actions";
import { Arn, DataTable, Time } from "../components/ui";

export const dynamic = "force-dynamic";

function RequestLink({ r }: { r: { requestId: string; status: string } | null }) {
  if (!r) return <span className="text-slate-500">-</span>;
  return (
    <Link className="text-blue-700 underline" href={`/requests/${r.requestId}`}>
      {r.status}
    </Link>
  );
}

function NextStep({ row, allowed }: { row: MigrationRow; allowed: boolean }) {
  if (row.blocked) return <span className="text-xs text-slate-600" data-testid="migration-blocked">{row.blocked}</span>;
  if (!allowed) return <span className="text-xs text-slate-500">Your role may not file requests.</span>;
  if (row.association && row.association.roleArn !== row.roleArn) return <span className="text-xs text-slate-500">Another association exists.</span>;
  const open = (s?: string) => s === "pending" || s === "approved" || s === "applying";
  if (!row.migration || ["rejected", "cancelled", "expired", "failed"].includes(row.migration.status)) {
    return <MigrationStep candidateKey={row.key} step="migrate" label="Migrate (trust, association, restart)" />;
  }
  if (open(row.migration.status)) return <span className="text-xs text-slate-500">Step 1 awaiting approval or apply.</span>;
  if (row.cleanup && (open(row.cleanup.status) || row.cleanup.status === "applied")) return <span className="text-xs text-slate-500">Clean-up {row.cleanup.status}.</span>;
  return <MigrationStep candidateKey={row.key} step="cleanup" label={`Remove IRSA subject on ${row.cluster}`} />;
}

/** /migration: service accounts still on IRSA, each moved to Pod Identity through approval-gated requests. */
export default async function MigrationPage() {
  const user = await requireUser("inventory:read");
  const { rows, scannedAt } = await migrationView();
  const allowed = can(user.role, "requests:create");
  const byCluster = new Map<string, MigrationRow[]>();
  for (const r of rows) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r]);
  return (
    <section>
      <h1 className="text-2xl font-semibold">IRSA to Pod Identity</h1>
      <p className="mb-1 text-sm text-slate-600">
        Service accounts that use IRSA (the <code>eks.amazonaws.com/role-arn</code> annotation or a trust statement naming them), from the scan of {scannedAt ? <Time at={scannedAt} /> : "never: run a scan first"}.
      </p>
      <p className="mb-4 text-sm text-slate-600">
        Step 1 is one request: add the Pod Identity trust statement to the role, create the association, restart the SA&apos;s pods. Once it has applied and the pods run on
        Pod Identity, step 2 removes this SA&apos;s IRSA subject for this cluster only; other service accounts and other clusters keep theirs. Nothing changes without approval.
      </p>
      {rows.length === 0 && <p className="text-sm text-slate-500">No service account uses IRSA in the latest scan.</p>}
      {[...byCluster.entries()].map(([cluster, list]) => (
        <div key={cluster} className="mb-6" data-testid={`migration-cluster-${cluster}`}>
          <h2 className="text-lg font-semibold">
            {cluster} <span className="text-sm font-normal text-slate-500">({list.length})</span>
          </h2>
          <DataTable testId="migration-table" head={["Service account", "Role", "IRSA through", "Runs on", "Warnings", "Step 1", "Step 2", "Next"]}>
            {list.map((row) => (
              <tr key={row.key} className="align-top" data-testid="migration-row">
                <td className="px-3 py-2 font-mono text-xs">
                  {row.namespace}/{row.serviceAccount}
                </td>
                <td className="px-3 py-2"><Arn arn={row.roleArn} /></td>
                <td className="px-3 py-2 text-xs">{row.sources.join(", ")}</td>
                <td className="px-3 py-2 text-xs" data-testid="migration-placement">{row.placement.summary}</td>
                <td className="px-3 py-2 text-xs text-amber-700">
                  {row.warnings.map((w) => <p key={w}>{w}</p>)}
                </td>
                <td className="px-3 py-2 text-xs"><RequestLink r={row.migration} /></td>
                <td className="px-3 py-2 text-xs"><RequestLink r={row.cleanup} /></td>
                <td className="px-3 py-2"><NextStep row={row} allowed={allowed} /></td>
              </tr>
            ))}
          </DataTable>
        </div>
      ))}
    </section>
  );
}
