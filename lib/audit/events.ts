// Every kind of audit event, so writers and readers agree on names.
export const AUDIT_EVENTS = [
  "auth.signed_in",
  "auth.signed_out",
  "auth.sign_in_refused",
  "mappings.refresh_started",
  "mappings.refresh_finished",
] as const;
export type AuditEventType = (typeof AUDIT_EVENTS)[number];
