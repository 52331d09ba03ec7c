import { requireUser } from "@/lib/auth/require-user";
import { filingChoices } from "@/lib/inventory/queries";
import { getConfig } from "@/lib/config";
import { checkPrefill, formChoices } from "@/lib/inventory/views/filing-choices";
import { NoScanYet } from "../../components/no-scan-yet";
import { NewRequestForm } from "./new-request-form";

export const dynamic = "force-dynamic";

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("requests:create");
  const choices = await filingChoices();
  // "Request mapping" links pre-fill the form: only values the inventory knows are kept.
  const { prefill, notes } = choices ? checkPrefill(choices, await searchParams) : { prefill: {}, notes: [] };
  return (
    <section className="max-w-3xl">
      <h1 className="mb-1 text-2xl font-semibold">New request</h1>
      <p className="mb-4 text-sm text-slate-600">Map a Kubernetes service account to an IAM role with an EKS Pod Identity association. The IAM team reviews it; RoleGate applies it once approved.</p>
      {notes.length > 0 && (
        <ul role="status" data-testid="prefill-notes" className="mb-4 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950">
          {notes.map((n) => <li key={n}>{n}</li>)}
        </ul>
      )}
      {choices ? (
        // Only a first page of roles: the picker searches the rest on the server. The boundary the administrators require, if any, is the form's to lock.
        <NewRequestForm choices={formChoices(choices, prefill.roleArn)} prefill={prefill} requiredBoundary={getConfig().requiredPermissionsBoundary ?? null} />
      ) : (
        <NoScanYet canScan />
      )}
    </section>
  );
}
