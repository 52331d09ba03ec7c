import { requireUser } from "@/lib/auth/require-user";
import { ComingSoon } from "../components/coming-soon";

export default async function Page() {
  await requireUser();
  return <ComingSoon title="Audit" what="the tamper-evident trail of every request, decision and change, with CSV and JSON export." />;
}
