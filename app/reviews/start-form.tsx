"use client";
import Link from "next/link";
import { startReviewCampaignAction } from "@/lib/actions/start-review-campaign";
import { FileError, useFileRequest } from "../components/ui/file-request";

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

/** Start a campaign (admins and auditors): name, scope, due date. */
export function StartCampaignForm() {
  // Same shape as filing a request: a transition, the error beside the button, then a link to what was created.
  const { pending, filedId, error, file } = useFileRequest();
  return (
    <form
      className="mb-6 grid max-w-2xl grid-cols-2 gap-2 rounded border bg-white p-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const scope = {
          ...(list(String(f.get("clusters"))).length ? { clusters: list(String(f.get("clusters"))) } : {}),
          ...(list(String(f.get("namespaces"))).length ? { namespaces: list(String(f.get("namespaces"))) } : {}),
          ...(list(String(f.get("roles"))).length ? { roles: list(String(f.get("roles"))) } : {}),
          ...(f.get("mechanism") ? { mechanism: String(f.get("mechanism")) } : {}),
        };
        const due = String(f.get("dueAt"));
        file(() => startReviewCampaignAction({ name: String(f.get("name")), scope, dueAt: due ? new Date(due).toISOString() : "" }));
      }}
    >
      <h2 className="col-span-2 text-lg font-semibold">Start a campaign</h2>
      <label>Name<input name="name" required className="block w-full rounded border p-1" /></label>
      <label>Due<input name="dueAt" type="date" required className="block w-full rounded border p-1" /></label>
      <label>Clusters (comma-separated)<input name="clusters" className="block w-full rounded border p-1" /></label>
      <label>Namespaces<input name="namespaces" className="block w-full rounded border p-1" /></label>
      <label>Roles (ARNs or names)<input name="roles" className="block w-full rounded border p-1" /></label>
      <label>Mechanism
        <select name="mechanism" className="block w-full rounded border p-1">
          <option value="">both</option>
          <option value="pod-identity">Pod Identity</option>
          <option value="irsa">IRSA</option>
        </select>
      </label>
      <div className="col-span-2 flex items-center gap-3">
        <button type="submit" disabled={pending} className="rounded bg-slate-900 px-3 py-1 text-white disabled:opacity-50">Start campaign</button>
        {filedId && <Link className="text-blue-700 underline" href={`/reviews/${filedId}`}>Campaign started: open it</Link>}
        <FileError error={error} className="text-red-700" />
      </div>
    </form>
  );
}
