"use server";
import { cancelRequestSpec } from "@/lib/requests/api-specs";
import { runPipeline } from "@/lib/core/pipeline";

/** Server action for the request pages: same pipeline as POST /api/v1/requests/{id}/cancel. */
export async function cancelRequestAction(input: unknown) {
  return runPipeline(cancelRequestSpec, input);
}
