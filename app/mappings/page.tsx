import { requireUser } from "@/lib/auth/require-user";
import { flatParams } from "@/lib/inventory/views/paging";
import { AccessView } from "./access-view";
import { AssociationView } from "./association-view";

export const dynamic = "force-dynamic";

/** /mappings: per service account, every role it can reach (default), or ?view=associations for the association table. */
export default async function MappingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  if (flatParams(params).view === "associations") {
    const user = await requireUser("mappings:read");
    return <AssociationView user={user} params={params} />;
  }
  const user = await requireUser("inventory:read");
  return <AccessView user={user} params={params} />;
}
