"use server";
import { refreshPrechecksOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** The request page, after it loads for a reviewer: re-run and store the prechecks (same pipeline as POST /api/v1/requests/{id}/prechecks). */
export async function refreshPrechecksAction(input: unknown = {}) {
  return runPipeline(refreshPrechecksOp, input);
}
