"use server";
import { createServiceTokenOp } from "@/lib/api/operations/auth";
import { runPipeline } from "@/lib/core/pipeline";

/** Admins: a service token with a chosen role: the `createServiceTokenOp` operation's server action (same pipeline as its API route). */
export async function createServiceTokenAction(input: unknown = {}) {
  return runPipeline(createServiceTokenOp, input);
}
