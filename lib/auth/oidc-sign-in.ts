import "server-only";
// After the IdP vouched for someone: map their groups to a role, create or
// update their account, open a session, and audit it, or refuse (audited).
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import type { OidcConfig } from "@/lib/config/oidc";
import type { IdentityClaims } from "./oidc";
import { roleForGroups } from "./role-mapping";
import { createSession } from "./sessions";

type NoAccessReason = "no-group" | "not-sso-account";

type OidcSignInOutcome =
  | { ok: true; token: string; login: string; role: string }
  | { ok: false; reason: NoAccessReason };

export async function completeOidcSignIn(
  prisma: PrismaClient,
  config: Pick<OidcConfig, "roleMap">,
  who: IdentityClaims,
  userAgent?: string,
): Promise<OidcSignInOutcome> {
  const login = who.sub;
  const role = roleForGroups(who.groups, config.roleMap);
  const existing = await prisma.user.findUnique({ where: { login } });
  return prisma.$transaction(async (tx) => {
    const refuse = async (reason: NoAccessReason, details: Record<string, unknown>) => {
      await recordAudit(tx, { actor: login, event: "auth.sign_in_refused", details: { method: "oidc", reason, ...details } });
      return { ok: false as const, reason };
    };
    // A demo or service account with the same login must never be taken over through SSO.
    if (existing && existing.source !== "oidc") return refuse("not-sso-account", { source: existing.source });
    if (!role) {
      if (existing) {
        // Lost every mapped group: end their sessions and stop their tokens until a later sign-in maps them again.
        await tx.session.deleteMany({ where: { userId: existing.id } });
        await tx.user.update({ where: { id: existing.id }, data: { disabledAt: new Date() } });
      }
      return refuse("no-group", { groups: who.groups.slice(0, 50) });
    }
    const user = await tx.user.upsert({
      where: { login },
      create: { login, name: who.name, email: who.email, role, source: "oidc" },
      update: { name: who.name, email: who.email, role, disabledAt: null },
    });
    const session = await createSession(tx, user.id, userAgent);
    await recordAudit(tx, {
      actor: login,
      event: "auth.signed_in",
      details: { method: "oidc", role, groups: who.groups.slice(0, 50), ...(existing && existing.role !== role ? { previousRole: existing.role } : {}) },
    });
    return { ok: true as const, token: session.token, login, role };
  });
}
