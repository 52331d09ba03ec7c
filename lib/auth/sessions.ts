// Session storage: create, resolve (with idle and absolute timeouts), refresh, destroy.
// Resolving reads only (no GET writes): the idle clock is moved by refreshSession,
// which the pipeline calls on every mutation and the app shell's heartbeat
// (a POST, app/components/session-heartbeat.tsx) calls while someone is active.
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
  /** via "session": which session, and when its idle clock was last moved. */
  session?: { id: string; lastSeenAt: Date };
}

/** The idle clock is moved at most this often (a heartbeat or mutation sooner changes nothing). */
export const SESSION_REFRESH_MS = 5 * 60_000;

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
  // Expired or idle: refused here; the row is purged by the background upkeep (lib/workers/auth-upkeep.ts).
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  const { user } = session;
  return { id: user.id, login: user.login, name: user.name, role: user.role, via: "session", kind: principalKind(user.source), session: { id: session.id, lastSeenAt: session.lastSeenAt } };
}

/**
 * Moves a live session's idle clock to now, unless it moved less than SESSION_REFRESH_MS ago.
 * Conditional on the stored row, so an expired or idle session is never revived. True when it moved.
 */
export async function refreshSession(prisma: SessionStore, sessionId: string, now = new Date()): Promise<boolean> {
  const { count } = await prisma.session.updateMany({
    where: {
      id: sessionId,
      expiresAt: { gt: now },
      lastSeenAt: { gte: new Date(now.getTime() - SESSION_IDLE_MS), lt: new Date(now.getTime() - SESSION_REFRESH_MS) },
    },
    data: { lastSeenAt: now },
  });
  return count === 1;
}

/** Deletes sessions past their absolute or idle expiry (background upkeep; resolving never deletes). */
export async function purgeExpiredSessions(prisma: SessionStore, now = new Date()): Promise<number> {
  const { count } = await prisma.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_MS) } }] },
  });
  return count;
}

export async function destroySession(prisma: SessionStore, token: string): Promise<void> {
  await prisma.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}
