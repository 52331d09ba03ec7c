"use server";
import { adoptDriftBaselineOp } from "@/lib/api/operations/lifecycle";
import { runPipeline } from "@/lib/core/pipeline";

/** Adopt the estate as RoleGate's baseline in one request: the `adoptDriftBaselineOp` operation's server action (same pipeline as its API route). */
export async function adoptBaselineAction(input: unknown = {}) {
  return runPipeline(adoptDriftBaselineOp, input);
}
