import Link from "next/link";
import { requireUser } from "@/lib/auth/require-user";
import { myReviewItemsView } from "@/lib/reviews/queries";
import { ItemTable } from "../item-table";

export const dynamic = "force-dynamic";

/** /reviews/mine: the signed-in reviewer's items in open campaigns, with keep / revoke each. */
export default async function MyReviewItemsPage() {
  const user = await requireUser("reviews:read");
  const campaigns = await myReviewItemsView(user.login);
  return (
    <section>
      <h1 className="mb-2 text-2xl font-semibold">My review items</h1>
      {campaigns.length === 0 && <p className="text-sm text-slate-500">Nothing to review.</p>}
      {campaigns.map((c) => {
        const left = c.items.filter((i) => !i.decision).length;
        return (
          <div key={c.id} className="mb-6">
            <h2 className="text-lg font-semibold"><Link className="text-blue-700 underline" href={`/reviews/${c.id}`}>{c.name}</Link> <span className="text-sm font-normal text-slate-500" data-testid="my-left">{left} of {c.items.length} left, due {c.dueAt.slice(0, 10)}</span></h2>
            <ItemTable campaignId={c.id} items={c.items} decideAs={user.login} />
          </div>
        );
      })}
    </section>
  );
}
