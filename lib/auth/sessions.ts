// Session storage: create, resolve (with idle and absolute timeouts), destroy.
import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";

/** The client or a transaction client: sessions are created inside audited transactions. */
type SessionStore = Pick<PrismaClient, "session">;
import type { Role } from "./permissions";
import { hashToken, newSessionToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "./session-token";

export interface SessionUser {
  id: string;
  login: string;
  name: string;
  role: Role;
  /** How this request was authenticated. */
  via: "session" | "token";
}

export async function createSession(prisma: SessionStore, userId: string, userAgent?: string, now = new Date()) {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await prisma.session.create({ data: { tokenHash: hashToken(token), userId, expiresAt, lastSeenAt: now, userAgent } });
  return { token, expiresAt };
}

export async function resolveSession(prisma: PrismaClient, token: string, now = new Date()): Promise<SessionUser | null> {
  const session = await prisma.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.user.disabledAt) return null;
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) {
    await prisma.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  // Touch at most once a minute to keep reads cheap.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await prisma.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return { id: user.id, login: user.login, name: user.name, role: user.role, via: "session" };
}

export async function destroySession(prisma: SessionStore, token: string): Promise<void> {
  await prisma.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}
