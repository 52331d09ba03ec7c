"use server";
import { signInDemoUserOp } from "@/lib/api/operations/auth";
import { runPipeline } from "@/lib/core/pipeline";

/** Sandbox-only sign-in as a seeded demo user: the `signInDemoUserOp` operation's server action (same pipeline as its API route). */
export async function signInDemoUser(input: unknown = {}) {
  return runPipeline(signInDemoUserOp, input);
}
