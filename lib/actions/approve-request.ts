"use server";
import { approveRequestSpec } from "@/lib/requests/api-specs";
import { runPipeline } from "@/lib/core/pipeline";

/** Server action for the request pages: same pipeline as POST /api/v1/requests/{id}/approve. */
export async function approveRequestAction(input: unknown) {
  return runPipeline(approveRequestSpec, input);
}
