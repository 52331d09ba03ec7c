"use server";
import { revokeTokenOp } from "@/lib/api/operations/auth";
import { runPipeline } from "@/lib/core/pipeline";

/** Revoke a token (yours; admins: any): the `revokeTokenOp` operation's server action (same pipeline as its API route). */
export async function revokeTokenAction(input: unknown = {}) {
  return runPipeline(revokeTokenOp, input);
}
