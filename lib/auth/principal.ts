// Who is behind a credential, and whether it may still be used in this mode.
import type { RunMode } from "@/lib/db/generated/client";

/** "person": a human (demo, SSO or SCIM account); "service": a service account acting through a service token. */
export type PrincipalKind = "person" | "service";

/** User.source -> kind. Service accounts ("svc:<name>") and RoleGate's own system user are not people. */
export function principalKind(source: string): PrincipalKind {
  return source === "service" || source === "system" ? "service" : "person";
}

/**
 * Sandbox mode makes anyone an admin (demo sign-in, `Bearer sandbox-root`), so
 * whatever was made there must not outlive it: outside sandbox mode a session or
 * token counts only when it was created in aws mode (rows from before modes were
 * recorded have none and are refused: sign in again, mint a new token), and a user
 * created in sandbox mode is refused altogether.
 */
export function bornInAcceptedMode(current: RunMode, credentialMode: RunMode | null, userMode: RunMode | null): boolean {
  if (current === "sandbox") return true;
  return credentialMode === current && userMode !== "sandbox";
}
