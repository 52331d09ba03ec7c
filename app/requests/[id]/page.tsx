import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/require-user";
import { can } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { getRequestView } from "@/lib/requests/get-request";
import { requestAuditStatus } from "@/lib/requests/audit-status";
import { refreshPrechecks } from "@/lib/requests/refresh-prechecks";
import { requestsDeps } from "@/lib/requests/service";
import { AuditStatusBadge } from "../audit-status-badge";
import { RequestDetail } from "./request-detail";

export const dynamic = "force-dynamic";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("requests:read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const prisma = await getPrisma();
  // A reviewer opening a pending request sees prechecks run now, not at submission (stored with their time).
  const pending = await prisma.request.findUnique({ where: { id }, select: { status: true } });
  if (pending?.status === "pending" && can(user.role, "requests:review")) {
    await refreshPrechecks(requestsDeps(prisma), id).catch((e) => console.error(JSON.stringify({ level: "warn", page: "request", id, error: (e as Error).message })));
  }
  const audit = can(user.role, "audit:read") ? await requestAuditStatus(prisma, id) : undefined;
  const view = await getRequestView(prisma, id).catch((e) => {
    if (e instanceof DomainError && e.code === "not_found") notFound();
    throw e;
  });
  const own = view.requester.id === user.id;
  return (
    <>
    {audit && (
      <p className="mb-2 text-sm" aria-label="Audit status">
        Audit trail: <AuditStatusBadge status={audit} />
        {view.prechecksAt && <span className="ml-3 text-slate-500">prechecks run {new Date(view.prechecksAt).toISOString().slice(0, 19).replace("T", " ")} UTC</span>}
      </p>
    )}
    <RequestDetail
      initial={JSON.parse(JSON.stringify(view))}
      viewer={{ login: user.login, own, canReview: can(user.role, "requests:review") && !own, canCancel: own || user.role === "admin", canRetry: can(user.role, "requests:retry") }}
    />
    </>
  );
}
