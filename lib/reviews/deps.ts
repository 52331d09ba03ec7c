// What the review services need, passed in (built in lib/runtime.ts) so tests use the real DB and sandbox.
import type { AuditKey } from "@/lib/audit/key";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import type { RequestsDeps } from "@/lib/requests";

export interface ReviewsDeps extends RequestsDeps {
  /** The latest inventory scan's snapshot (default: the newest stored scan). */
  snapshot: () => Promise<InventorySnapshot | null>;
  /** Owner groups per namespace (ROLEGATE_REVIEW_OWNERS). */
  owners: Map<string, string[]>;
  /** ROLEGATE_REVIEW_UNUSED_DAYS. */
  unusedDays: number;
  /** Signs the checkpoint at close (default: the configured audit key). */
  auditKey?: () => AuditKey;
}
