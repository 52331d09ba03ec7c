import { requireUser } from "@/lib/auth/require-user";
import { ComingSoon } from "../components/coming-soon";

export default async function Page() {
  await requireUser();
  return <ComingSoon title="Roles" what="per role, who can assume it through IRSA or Pod Identity, with its trust policy and findings." />;
}
