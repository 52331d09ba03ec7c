"use server";
import { keepSessionAliveOp } from "@/lib/api/operations/auth";
import { runPipeline } from "@/lib/core/pipeline";

/** The app shell's heartbeat while someone is active: the `keepSessionAliveOp` operation's server action. */
export async function keepSessionAlive(input: unknown = {}) {
  return runPipeline(keepSessionAliveOp, input);
}
