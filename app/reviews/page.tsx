import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { campaignsView } from "@/lib/reviews/queries";
import { StartCampaignForm } from "./start-form";

export const dynamic = "force-dynamic";

/** /reviews: access review campaigns, with the start form for admins and auditors. */
export default async function ReviewsPage() {
  const user = await requireUser("reviews:read");
  const campaigns = await campaignsView();
  return (
    <section>
      <div className="mb-4 flex items-start justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Access reviews</h1>
          <p className="text-sm text-slate-600">Recertification campaigns: every mapping in scope gets one reviewer, who keeps it (with a reason) or revokes it through an approval-gated request.</p>
        </div>
        <Link href="/reviews/mine" className="rounded border px-3 py-1 text-sm hover:bg-slate-100">My review items</Link>
      </div>
      {can(user.role, "reviews:manage") && <StartCampaignForm />}
      {campaigns.length === 0 ? (
        <p className="text-sm text-slate-500">No campaign yet.</p>
      ) : (
        <table className="w-full border-collapse bg-white text-sm">
          <thead>
            <tr className="border-b text-left text-slate-600"><th className="p-2">Campaign</th><th className="p-2">Status</th><th className="p-2">Due</th><th className="p-2">Progress</th><th className="p-2">Started by</th></tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id} className="border-b">
                <td className="p-2"><Link className="text-blue-700 underline" href={`/reviews/${c.id}`}>{c.name}</Link></td>
                <td className="p-2">{c.status}</td>
                <td className="p-2">{c.dueAt.slice(0, 10)}</td>
                <td className="p-2">{c.progress.decided}/{c.progress.total} decided</td>
                <td className="p-2">{c.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
