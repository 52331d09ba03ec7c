import { requireUser } from "@/lib/auth/require-user";
import { ComingSoon } from "../components/coming-soon";

export default async function Page() {
  await requireUser();
  return <ComingSoon title="Clusters" what="each cluster's OIDC issuer, Pod Identity agent add-on, node roles and Blue/Green pairing." />;
}
