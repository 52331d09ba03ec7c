import { createHash } from "node:crypto";

/** EKS clientRequestToken for an item: stable across retries and restarts (64 hex chars). */
export function clientRequestToken(itemId: string): string {
  return createHash("sha256").update(`rolegate:${itemId}`).digest("hex");
}
