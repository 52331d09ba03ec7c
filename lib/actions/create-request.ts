"use server";
import { createRequestSpec } from "@/lib/requests/api-specs";
import { runPipeline } from "@/lib/core/pipeline";

/** Server action for the request pages: same pipeline as POST /api/v1/requests. */
export async function createRequestAction(input: unknown) {
  return runPipeline(createRequestSpec, input);
}
