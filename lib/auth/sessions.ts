// Session storage: create, resolve (with idle and absolute timeouts), destroy.
import type { PrismaClient, RunMode } from "@/lib/db/generated/client";
import type { Role } from "./permissions";
import { bornInAcceptedMode, principalKind, type PrincipalKind } from "./principal";
import { hashToken, newSessionToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "./session-token";

/** The client or a transaction client: sessions are created inside audited transactions. */
type SessionStore = Pick<PrismaClient, "session">;

export interface SessionUser {
  id: string;
  login: string;
  name: string;
  role: Role;
  /** How this request was authenticated. */
  via: "session" | "token";
  /** A person, or a service account (service tokens): only people review requests. */
  kind: PrincipalKind;
}

/**
 * `mode`: the mode the session is born in (recorded: sandbox-born sessions stop working outside sandbox mode).
 * Passed in rather than read from lib/config so this module stays free of configuration.
 */
export async function createSession(prisma: SessionStore, userId: string, mode: RunMode, userAgent?: string, now = new Date()) {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await prisma.session.create({ data: { tokenHash: hashToken(token), userId, expiresAt, lastSeenAt: now, userAgent, mode } });
  return { token, expiresAt };
}

/** `mode`: the mode RoleGate runs in now. */
export async function resolveSession(prisma: PrismaClient, token: string, mode: RunMode, now = new Date()): Promise<SessionUser | null> {
  const session = await prisma.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.user.disabledAt || session.user.deprovisionedAt) return null;
  if (!bornInAcceptedMode(mode, session.mode, session.user.mode)) return null;
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) {
    await prisma.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  // Touch at most once a minute to keep reads cheap.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await prisma.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return { id: user.id, login: user.login, name: user.name, role: user.role, via: "session", kind: principalKind(user.source) };
}

export async function destroySession(prisma: SessionStore, token: string): Promise<void> {
  await prisma.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}
