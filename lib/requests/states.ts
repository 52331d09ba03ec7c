// The request state machine: which transitions exist. Everything else is a 409.
import type { RequestStatus } from "@/lib/db/generated/client";

export const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  pending: ["pending", "approved", "rejected", "cancelled", "expired"],
  approved: ["applying"],
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
