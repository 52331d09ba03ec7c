"use server";
import { precheckSpec } from "@/lib/requests/api-specs";
import { runPipeline } from "@/lib/core/pipeline";

/** Live prechecks for the new-request form. */
export async function runPrechecksAction(input: unknown) {
  return runPipeline(precheckSpec, input);
}
