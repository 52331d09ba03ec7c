import "server-only";
// What the inventory pages (/, /clusters, /roles, /mappings, /usage) read, from
// the process's database (lib/runtime.ts). Reads only: nothing here writes.
import { getPrisma } from "@/lib/db";
import { listMappings, mappingFacets, type MappingQuery } from "./list-mappings";
import { filingChoicesOf, type FilingChoices } from "./views/filing-choices";
import { getInventoryView, type InventoryView } from "./views/inventory-view";
import { recentScans, usageHistory } from "./views/scan-history";

/** The latest scan's analysed inventory, or null before the first scan. */
export async function inventoryView(): Promise<InventoryView | null> {
  return getInventoryView(await getPrisma());
}

export async function recentScanList(take = 10) {
  return recentScans(await getPrisma(), take);
}

export async function usageView() {
  return usageHistory(await getPrisma());
}

/** The cached associations of one page of /mappings?view=associations, with the filter facets. */
export async function mappingsView(query: MappingQuery) {
  const prisma = await getPrisma();
  const [result, facets] = await Promise.all([listMappings(prisma, query), mappingFacets(prisma)]);
  return { result, facets };
}

/** What the new-request form offers to pick, from the latest scan (computed once per scan); null before the first scan. */
export async function filingChoices(): Promise<FilingChoices | null> {
  const view = await inventoryView();
  return view ? filingChoicesOf(view) : null;
}

/** Association changes applied by requests after the scan /mappings shows (newest first): listed until a rescan analyses them. */
export async function appliedSinceScan(scannedAt: string, take = 20) {
  const prisma = await getPrisma();
  return prisma.requestItem.findMany({
    where: { status: "applied", appliedAt: { gt: new Date(scannedAt) }, resultAssociationId: { not: null } },
    orderBy: { appliedAt: "desc" },
    take,
    select: { requestId: true, kind: true, cluster: true, namespace: true, serviceAccount: true, roleArn: true, appliedAt: true },
  });
}
