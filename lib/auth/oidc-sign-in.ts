import "server-only";
// After the IdP vouched for someone: map their groups to a role, create or
// update their account, open a session, and audit it, or refuse (audited).
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import type { OidcConfig } from "@/lib/config/oidc";
import type { RunMode } from "@/lib/db/generated/client";
import { getConfig } from "@/lib/config";
import type { IdentityClaims } from "./oidc";
import { roleForGroups } from "./role-mapping";
import { createSession } from "./sessions";

export type NoAccessReason = "no-group" | "not-sso-account" | "deprovisioned" | "sandbox-account";

/** Accounts single sign-on may use: made by SSO itself or provisioned by the same IdP through SCIM. */
const SSO_SOURCES = new Set(["oidc", "scim"]);

export type OidcSignInOutcome =
  | { ok: true; token: string; login: string; role: string }
  | { ok: false; reason: NoAccessReason };

export async function completeOidcSignIn(
  prisma: PrismaClient,
  config: Pick<OidcConfig, "roleMap">,
  who: IdentityClaims,
  userAgent?: string,
  mode: RunMode = getConfig().mode,
): Promise<OidcSignInOutcome> {
  const login = who.sub;
  const role = roleForGroups(who.groups, config.roleMap);
  const existing = (await prisma.user.findUnique({ where: { login } })) ?? (await findScimProvisioned(prisma, who));
  return prisma.$transaction(async (tx) => {
    const refuse = async (reason: NoAccessReason, details: Record<string, unknown>) => {
      await recordAudit(tx, { actor: login, event: "auth.sign_in_refused", details: { method: "oidc", reason, ...details } });
      return { ok: false as const, reason };
    };
    // A demo or service account with the same login must never be taken over through SSO.
    if (existing && !SSO_SOURCES.has(existing.source)) return refuse("not-sso-account", { source: existing.source });
    // The IdP removed them (SCIM): only the IdP (SCIM active=true) brings them back.
    if (existing?.deprovisionedAt) return refuse("deprovisioned", { deprovisionedAt: existing.deprovisionedAt.toISOString() });
    // Made while this deployment ran as the sandbox (where anyone is admin): never carried over.
    if (existing && mode !== "sandbox" && existing.mode === "sandbox") return refuse("sandbox-account", { mode: existing.mode });
    if (!role) {
      if (existing) {
        // Lost every mapped group: end their sessions and stop their tokens until a later sign-in maps them again.
        await tx.session.deleteMany({ where: { userId: existing.id } });
        await tx.user.update({ where: { id: existing.id }, data: { disabledAt: new Date() } });
      }
      return refuse("no-group", { groups: who.groups.slice(0, 50) });
    }
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { login, name: who.name, email: who.email ?? existing.email, role, disabledAt: null, mode: existing.mode ?? mode } })
      : await tx.user.create({ data: { login, name: who.name, email: who.email, role, source: "oidc", mode } });
    const session = await createSession(tx, user.id, mode, userAgent);
    await recordAudit(tx, {
      actor: login,
      event: "auth.signed_in",
      details: { method: "oidc", role, groups: who.groups.slice(0, 50), ...(existing && existing.role !== role ? { previousRole: existing.role } : {}) },
    });
    return { ok: true as const, token: session.token, login, role };
  });
}

/**
 * A person the IdP provisioned through SCIM before their first sign-in: the SCIM
 * externalId is the IdP's user id (Okta: the OIDC `sub`), the SCIM userName their
 * sign-in name (Entra ID: the UPN, also the `email`/`preferred_username` claim).
 * Only accounts SCIM made and SSO has not yet claimed are matched.
 */
async function findScimProvisioned(prisma: PrismaClient, who: IdentityClaims) {
  const candidates = [
    { scimExternalId: who.sub },
    ...(who.email ? [{ scimUserName: { equals: who.email, mode: "insensitive" as const } }] : []),
  ];
  const rows = await prisma.user.findMany({ where: { source: "scim", OR: candidates }, take: 2 });
  const unclaimed = rows.filter((r) => r.login !== who.sub && r.login.startsWith("scim:"));
  return unclaimed.length === 1 ? unclaimed[0]! : null;
}
