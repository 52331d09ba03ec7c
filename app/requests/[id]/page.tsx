import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/require-user";
import { can } from "@/lib/auth/permissions";
import { findRequestAuditStatus, findRequestViewOrNull } from "@/lib/requests/queries";
import { AuditStatusBadge } from "../audit-status-badge";
import { RequestDetail } from "./request-detail";

export const dynamic = "force-dynamic";

/**
 * Renders what is stored and writes nothing. A reviewer opening a pending request
 * sees its prechecks re-run now, not at submission: the client asks for that
 * explicitly after the page loads (the refresh-prechecks action, as
 * POST /api/v1/requests/{id}/prechecks), which stores them with their time.
 */
export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("requests:read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const view = await findRequestViewOrNull(id);
  if (!view) notFound();
  const audit = can(user.role, "audit:read") ? await findRequestAuditStatus(id) : undefined;
  const own = view.requester.id === user.id;
  const canReview = can(user.role, "requests:review") && !own;
  return (
    <>
      {audit && (
        <p className="mb-2 text-sm" aria-label="Audit status">
          Audit trail: <AuditStatusBadge status={audit} />
        </p>
      )}
      <RequestDetail
        initial={JSON.parse(JSON.stringify(view))}
        viewer={{
          login: user.login,
          own,
          canReview,
          canCancel: own || user.role === "admin",
          canRetry: can(user.role, "requests:retry"),
          recheckOnOpen: view.status === "pending" && can(user.role, "requests:review") && can(user.role, "requests:precheck"),
        }}
      />
    </>
  );
}
