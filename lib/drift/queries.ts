import "server-only";
// What the drift views (/drift, the overview's counts, an adopt batch's request page) read.
import { getPrisma } from "@/lib/db";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { loadAdoptBatchSummary, type AdoptBatchSummary } from "./adopt-batch-summary";
import { processItemKinds } from "@/lib/requests/queries";
import type { BaselinePlan } from "./baseline";
import type { DriftKind, DriftReport } from "./compute";
import { currentDrift } from "./current";

/** /drift: the drift report, and the estate baseline planned from the same report when the page asks for it. */
export async function driftView(): Promise<{ report: DriftReport; baseline: () => Promise<BaselinePlan> }> {
  const prisma = await getPrisma();
  const drift = await currentDrift({ prisma, kinds: processItemKinds() });
  return { report: await drift.report, baseline: async () => drift.baseline((await getInventoryView(prisma))?.analysis.findings ?? null) };
}

/** How many findings of each kind the drift report lists (the overview): kept per state of the tables, without building the report. */
export async function driftCounts(): Promise<Record<DriftKind, number>> {
  return (await currentDrift({ prisma: await getPrisma(), kinds: processItemKinds() })).counts();
}

/** /requests/{id}: the grouped summary of an adopt batch (bulk adopt or the estate baseline); null for other requests. */
export async function adoptBatchSummaryView(requestId: string): Promise<AdoptBatchSummary | null> {
  return loadAdoptBatchSummary(await getPrisma(), requestId);
}
