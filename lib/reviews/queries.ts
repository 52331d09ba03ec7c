import "server-only";
// What the /reviews pages read, from the process's database (lib/runtime.ts).
import { getPrisma } from "@/lib/db";
import { listCampaigns, loadCampaign, myReviewItems } from "./read";

export type { CampaignItem } from "./read";

export async function campaignsView() {
  return listCampaigns(await getPrisma());
}

/** One campaign with every item; null when there is none with that id. */
export async function campaignView(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const prisma = await getPrisma();
  if (!(await prisma.reviewCampaign.count({ where: { id } }))) return null;
  return loadCampaign(prisma, id);
}

export async function myReviewItemsView(login: string) {
  return myReviewItems(await getPrisma(), login);
}
