"use server";
import { createRequestOp } from "@/lib/api/operations/requests";
import { runPipeline } from "@/lib/core/pipeline";

/** File a request from the new-request form: the `createRequestOp` operation's server action (same pipeline as its API route). */
export async function createRequestAction(input: unknown = {}) {
  return runPipeline(createRequestOp, input);
}
