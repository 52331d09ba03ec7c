import "server-only";
// What the drift views (/drift, the overview's counts) read.
import { getPrisma } from "@/lib/db";
import { computeDrift, type DriftReport } from "./compute";

export async function driftReport(): Promise<DriftReport> {
  return computeDrift(await getPrisma());
}
