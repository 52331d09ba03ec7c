// IdP groups -> RoleGate role. Re-evaluated at every sign-in; the highest role
// among the user's mapped groups wins (admin > approver > requester > auditor).
import type { OidcConfig } from "@/lib/config/oidc";
import type { Role } from "./permissions";

const ROLE_PRECEDENCE: readonly Role[] = ["admin", "approver", "requester", "auditor"];

/** The groups claim as a list of strings (IdPs send an array, some a single string). */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string");
  if (typeof value === "string") return [value];
  return [];
}

/** The role for these groups, or null when none is mapped (no access). */
export function roleForGroups(groups: string[], roleMap: OidcConfig["roleMap"]): Role | null {
  const roles = new Set(roleMap.filter((m) => groups.includes(m.group)).map((m) => m.role));
  return ROLE_PRECEDENCE.find((r) => roles.has(r)) ?? null;
}
