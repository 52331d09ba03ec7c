"use server";
import { refreshMappingsOp } from "@/lib/api/operations/inventory";
import { runPipeline } from "@/lib/core/pipeline";

/** Start a refresh of the cached associations; the page polls it: the `refreshMappingsOp` operation's server action (same pipeline as its API route). */
export async function refreshMappings(input: unknown = {}) {
  return runPipeline(refreshMappingsOp, input);
}
