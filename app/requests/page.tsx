import { requireUser } from "@/lib/auth/require-user";
import { ComingSoon } from "../components/coming-soon";

export default async function Page() {
  await requireUser();
  return <ComingSoon title="Requests" what="request a mapping, review it with prechecks, approve or reject, and follow it until it is applied in AWS." />;
}
