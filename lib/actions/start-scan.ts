"use server";
import { startScanOp } from "@/lib/api/operations/inventory";
import { runPipeline } from "@/lib/core/pipeline";

/** The Rescan button; the page polls GET /api/v1/scans/{id}: the `startScanOp` operation's server action (same pipeline as its API route). */
export async function startScan(input: unknown = {}) {
  return runPipeline(startScanOp, input);
}
