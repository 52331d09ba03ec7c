// Every kind of audit event, so writers and readers agree on names.
export const AUDIT_EVENTS = [
  "auth.signed_in",
  "auth.signed_out",
  "auth.sign_in_refused",
  "mappings.refresh_started",
  "mappings.refresh_finished",
  "request.created",
  "request.approval_recorded",
  "request.approved",
  "request.rejected",
  "request.cancelled",
  "request.expired",
  "request.retried",
  "request.apply_started",
  "request.item_applied",
  "request.item_failed",
  "request.applied",
  "request.failed",
  "request.auto_approved",
  "approval_policy.created",
] as const;
export type AuditEventType = (typeof AUDIT_EVENTS)[number];
