"use server";
import { retryRequestSpec } from "@/lib/requests/api-specs";
import { runPipeline } from "@/lib/core/pipeline";

/** Server action for the request pages: same pipeline as POST /api/v1/requests/{id}/retry. */
export async function retryRequestAction(input: unknown) {
  return runPipeline(retryRequestSpec, input);
}
