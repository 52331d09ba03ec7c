import "server-only";
// The API tokens a user may see: their own personal tokens, and (admins) every
// service token. Never the secret or its hash.
import type { PrismaClient } from "@/lib/db/generated/client";
import { can } from "./permissions";
import type { SessionUser } from "./sessions";

export type TokenState = "active" | "expired" | "revoked";

export async function listTokens(prisma: Pick<PrismaClient, "apiToken">, user: Pick<SessionUser, "id" | "role">, now = new Date()) {
  const admin = can(user.role, "tokens:service");
  const rows = await prisma.apiToken.findMany({
    where: admin ? { OR: [{ userId: user.id }, { kind: "service" }] } : { userId: user.id, kind: "personal" },
    include: { user: { select: { login: true, role: true } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind as "personal" | "service",
    prefix: t.prefix,
    actsAs: { login: t.user.login, role: t.user.role },
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
    state: (t.revokedAt ? "revoked" : t.expiresAt <= now ? "expired" : "active") as TokenState,
  }));
}
