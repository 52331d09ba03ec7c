// The request state machine: which transitions exist. Everything else is a 409.
import type { RequestStatus } from "@/lib/db/generated/client";

export const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  pending: ["pending", "changes_requested", "approved", "rejected", "cancelled", "expired"],
  // Sent back by a reviewer: the requester amends (same state, version moves) and resubmits.
  changes_requested: ["changes_requested", "pending", "cancelled", "expired"],
  // -> failed without applying: the approval does not verify at apply (./approval-signatures.ts).
  approved: ["applying", "failed"],
  applying: ["applied", "failed"],
  failed: ["applying"],
  applied: [],
  rejected: [],
  cancelled: [],
  expired: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
