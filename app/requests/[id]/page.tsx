import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/require-user";
import { can } from "@/lib/auth/permissions";
import { adoptBatchSummaryView } from "@/lib/drift/queries";
import { decisionContextView, findRequestAuditStatus, findRequestViewOrNull, reviewRefusalView } from "@/lib/requests/queries";
import { AdoptSummaryPanel } from "./adopt-summary-panel";
import { DecisionContextPanel } from "./decision-context-panel";
import { RequestDetail } from "./request-detail";

export const dynamic = "force-dynamic";

/**
 * The decision screen. Renders what is stored and writes nothing. A reviewer opening a pending request
 * sees its prechecks re-run now, not at submission: the client asks for that explicitly after the page
 * loads (the refresh-prechecks action, as POST /api/v1/requests/{id}/prechecks), which stores them with
 * their time. After every change the client refetches the request and refreshes this server part
 * (audit line, context, diffs), so nothing on the screen needs a reload to stay true.
 */
export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("requests:read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const view = await findRequestViewOrNull(id);
  if (!view) notFound();
  const showAudit = can(user.role, "audit:read");
  const [audit, context, adoptSummary] = await Promise.all([showAudit ? findRequestAuditStatus(id) : undefined, decisionContextView(view), adoptBatchSummaryView(id)]);
  const own = view.requester.id === user.id;
  // The server's own review rule (role the request needs, IAM items for the IAM team, one review each).
  const canReview = can(user.role, "requests:review") && !own && (view.status !== "pending" || (await reviewRefusalView(id, user)) === null);
  const open = view.status === "pending" || view.status === "changes_requested";
  return (
    <RequestDetail
      initial={JSON.parse(JSON.stringify(view))}
      audit={audit}
      diffs={context.diffs}
      scannedAt={context.inventory?.scannedAt}
      summary={adoptSummary ? <AdoptSummaryPanel summary={adoptSummary} /> : null}
      context={<DecisionContextPanel context={context} requestId={id} requester={view.requester.login} showAudit={showAudit} showInventory={can(user.role, "inventory:read")} />}
      viewer={{
        login: user.login,
        own,
        canReview,
        canAmend: open && (own ? can(user.role, "requests:create") : canReview),
        canCancel: own || user.role === "admin",
        canRetry: can(user.role, "requests:retry"),
        recheckOnOpen: view.status === "pending" && can(user.role, "requests:review") && can(user.role, "requests:precheck"),
      }}
    />
  );
}
