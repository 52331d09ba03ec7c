"use server";
import { rejectRequestSpec } from "@/lib/requests/api-specs";
import { runPipeline } from "@/lib/core/pipeline";

/** Server action for the request pages: same pipeline as POST /api/v1/requests/{id}/reject. */
export async function rejectRequestAction(input: unknown) {
  return runPipeline(rejectRequestSpec, input);
}
