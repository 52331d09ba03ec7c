// The one permission map: pages, server actions and API routes all ask it.
export const ROLES = ["requester", "approver", "auditor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "mappings:read": ["requester", "approver", "auditor", "admin"],
  "mappings:refresh": ["requester", "approver", "admin"],
  "inventory:read": ["requester", "approver", "auditor", "admin"],
  "inventory:scan": ["requester", "approver", "admin"],
  "audit:read": ["requester", "approver", "auditor", "admin"],
  "audit:verify": ["requester", "approver", "auditor", "admin"],
  /** Signing a checkpoint of the audit chain on demand (also taken periodically): it writes a file and posts the webhook, so not auditors. */
  "audit:checkpoint": ["admin"],
  "requests:read": ["requester", "approver", "auditor", "admin"],
  /** Re-running prechecks stores their results: a change, so auditors (read-only) may not. */
  "requests:precheck": ["requester", "approver", "admin"],
  "requests:create": ["requester", "approver", "admin"],
  "requests:review": ["approver", "admin"],
  "requests:cancel": ["requester", "approver", "admin"],
  "requests:retry": ["requester", "approver", "admin"],
  /** Personal API tokens (acting with the owner's own role). */
  "tokens:personal": ["requester", "approver", "auditor", "admin"],
  /** Service API tokens with a chosen role; revoking anyone's token. */
  "tokens:service": ["admin"],
  /** Stale-pod restarts without approval, per namespace (lifecycle settings). */
  "lifecycle:manage": ["admin"],
  /** Standing approvals: revoke a template (it stops matching at once; its mappings go through one revocation request). */
  "templates:revoke": ["approver", "admin"],
  /** Approval policies: create policies and new versions of them. */
  "policies:manage": ["admin"],
  /** Adopting the whole existing estate as RoleGate's baseline in one request. */
  "drift:baseline": ["admin"],
  /** Access reviews: campaigns, their items and reports. */
  "reviews:read": ["requester", "approver", "auditor", "admin"],
  /** Starting and closing access review campaigns: recertification is the auditors' as well as the admins' (issue 14); no AWS change. */
  "reviews:manage": ["auditor", "admin"],
  /** Deciding one's own review items (keep / revoke): a revoke files a request, so not auditors. */
  "reviews:decide": ["requester", "approver", "admin"],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * Permissions only a person may use: approving or rejecting is a person's
 * judgement, and N approvals must mean N people. Service tokens (automation) may
 * file and read but never review, whatever role an admin gave them.
 */
export const PEOPLE_ONLY: readonly Permission[] = ["requests:review"];

/** Why this caller may not use this permission, or null when they may. */
export function refusal(user: { role: Role; kind: "person" | "service" }, permission: Permission): string | null {
  if (!can(user.role, permission)) return `Your role (${user.role}) may not ${permission.replace(":", " ")}.`;
  if (user.kind !== "person" && PEOPLE_ONLY.includes(permission)) {
    return "Service tokens may file and read requests but never approve or reject them: a review must come from a person (a signed-in session or that person's own API token).";
  }
  return null;
}
