import Link from "next/link";
import { requireUser } from "@/lib/auth/require-user";
import { expiryScope, mayExtend, timeBoundMappingsView } from "@/lib/expiry/queries";
import { ExtensionForm } from "./extension-form";
import { Arn, DataTable, Time } from "../components/ui";

export const dynamic = "force-dynamic";

/** /expiry: time-bound mappings still in force; their requesters may ask for an extension. */
export default async function ExpiryPage() {
  const user = await requireUser("requests:read");
  const scope = expiryScope(user);
  const mine = scope !== undefined;
  const rows = await timeBoundMappingsView(scope);
  return (
    <section>
      <h1 className="text-2xl font-semibold">Expiring mappings</h1>
      <p className="mb-4 text-sm text-slate-600">
        Time-bound mappings are revoked at their expiry; a webhook notice goes out ahead of it. The requester may ask for a later expiry: an approver still has to agree.
      </p>
      <DataTable
        testId="expiring-mappings"
        head={["Service account", "Role", "Expires", "Requested by", "Extension"]}
        empty={rows.length === 0 && `No time-bound mapping in force${mine ? " among your requests" : ""}.`}
      >
        {rows.map((r) => (
          <tr key={r.id} className="align-top" data-testid="expiring-mapping">
            <td className="px-3 py-2 font-mono text-xs">
              {r.cluster}/{r.namespace}/{r.serviceAccount}
            </td>
            <td className="px-3 py-2">{r.roleArn ? <Arn arn={r.roleArn} /> : "-"}</td>
            <td className="px-3 py-2 text-xs"><Time at={r.mappingExpiresAt!} /></td>
            <td className="px-3 py-2 text-xs">
              <Link className="text-blue-700 underline" href={`/requests/${r.requestId}`}>
                {r.request.requester.login}
              </Link>
            </td>
            <td className="px-3 py-2">
              {mayExtend(user, r.request.requesterId) ? (
                <ExtensionForm itemId={r.id} current={r.mappingExpiresAt!.toISOString()} />
              ) : (
                <span className="text-xs text-slate-500">Only the requester may ask.</span>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
