import "server-only";
// What the drift views (/drift, the overview's counts, an adopt batch's request page) read.
import { getPrisma } from "@/lib/db";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { loadAdoptBatchSummary, type AdoptBatchSummary } from "./adopt-batch-summary";
import { processItemKinds } from "@/lib/requests/queries";
import type { BaselinePlan } from "./baseline";
import type { DriftKind, DriftReport } from "./compute";
import { currentBaseline, currentDriftReport } from "./current";
import { countDrift } from "./counts";

export async function driftReport(): Promise<DriftReport> {
  return currentDriftReport(await getPrisma(), processItemKinds());
}

/** How many findings of each kind the drift report lists, without building it (the overview). */
export async function driftCounts(): Promise<Record<DriftKind, number>> {
  return countDrift(await getPrisma(), processItemKinds());
}

/** The estate baseline: what one request would adopt, and what is set apart for its findings (the latest scan's view, analysed once per scan). */
export async function driftBaseline(): Promise<BaselinePlan> {
  const prisma = await getPrisma();
  return currentBaseline({ prisma, kinds: processItemKinds() }, (await getInventoryView(prisma))?.analysis.findings ?? null);
}

/** /requests/{id}: the grouped summary of an adopt batch (bulk adopt or the estate baseline); null for other requests. */
export async function adoptBatchSummaryView(requestId: string): Promise<AdoptBatchSummary | null> {
  return loadAdoptBatchSummary(await getPrisma(), requestId);
}
