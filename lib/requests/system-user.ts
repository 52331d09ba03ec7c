// The identity RoleGate acts as when nobody asked: "rolegate-system" files the
// delete requests that revoke time-bound mappings. It can never sign in: it is
// disabled from birth (sessions and bearer tokens refuse disabled users), has
// source "system" (no demo or SSO sign-in matches it) and the least role.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Actor } from "./deps";

export const SYSTEM_LOGIN = "rolegate-system";
const DISABLED_SINCE = new Date("2000-01-01T00:00:00Z");

/** Creates the system user when missing and keeps it disabled; returns it as an actor. */
export async function ensureSystemUser(prisma: Pick<PrismaClient, "user">): Promise<Actor> {
  const u = await prisma.user.upsert({
    where: { login: SYSTEM_LOGIN },
    create: { login: SYSTEM_LOGIN, name: "RoleGate (system)", role: "requester", source: "system", disabledAt: DISABLED_SINCE },
    update: { role: "requester", source: "system", disabledAt: DISABLED_SINCE },
  });
  return { id: u.id, login: u.login, role: u.role };
}
