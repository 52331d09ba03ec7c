import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/require-user";
import { campaignView } from "@/lib/reviews/queries";
import { ItemTable } from "../item-table";
import { CloseCampaignButton } from "./close-button";
import { PageHeader } from "../../components/ui";

export const dynamic = "force-dynamic";

/** One campaign: progress per reviewer, every item with its evidence, the report downloads. */
export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("reviews:read");
  const { id } = await params;
  const c = await campaignView(id);
  if (!c) notFound();
  return (
    <section>
      <PageHeader
        title={c.name}
        actions={
          <div className="flex gap-2">
            <a className="rounded border px-3 py-1 text-sm hover:bg-slate-100" href={`/api/v1/reviews/${c.id}/report?format=csv`}>Report (CSV)</a>
            <a className="rounded border px-3 py-1 text-sm hover:bg-slate-100" href={`/api/v1/reviews/${c.id}/report?format=json`}>Report (JSON)</a>
            {c.status !== "closed" && can(user.role, "reviews:manage") && <CloseCampaignButton id={c.id} />}
          </div>
        }
      >
        <p className="text-sm text-slate-600" data-testid="campaign-status">Status {c.status}, due {c.dueAt.slice(0, 10)}; {c.progress.decided}/{c.progress.total} decided ({c.progress.kept} kept, {c.progress.revoked} revoked).</p>
      </PageHeader>
      <h2 className="text-lg font-semibold">Progress per reviewer</h2>
      <ul className="mb-4 text-sm">
        {c.progress.byReviewer.map((p) => <li key={p.reviewer}>{p.reviewer}: {p.decided}/{p.total}</li>)}
      </ul>
      <ItemTable campaignId={c.id} items={c.items} decideAs={c.status === "closed" ? undefined : user.login} />
    </section>
  );
}
