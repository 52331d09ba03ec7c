import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/require-user";
import { can } from "@/lib/auth/permissions";
import { ActionError } from "@/lib/actions/result";
import { getPrisma } from "@/lib/db";
import { getRequestView } from "@/lib/requests/get-request";
import { RequestDetail } from "./request-detail";

export const dynamic = "force-dynamic";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("requests:read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const view = await getRequestView(await getPrisma(), id).catch((e) => {
    if (e instanceof ActionError && e.code === "not_found") notFound();
    throw e;
  });
  const own = view.requester.id === user.id;
  return (
    <RequestDetail
      initial={JSON.parse(JSON.stringify(view))}
      viewer={{ login: user.login, own, canReview: can(user.role, "requests:review") && !own, canCancel: own || user.role === "admin", canRetry: can(user.role, "requests:retry") }}
    />
  );
}
