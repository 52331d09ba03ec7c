"use server";
import { createPersonalTokenOp } from "@/lib/api/operations/auth";
import { runPipeline } from "@/lib/core/pipeline";

/** A personal API token (acts with your role): the `createPersonalTokenOp` operation's server action (same pipeline as its API route). */
export async function createPersonalTokenAction(input: unknown = {}) {
  return runPipeline(createPersonalTokenOp, input);
}
