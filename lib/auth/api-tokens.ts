import "server-only";
// API tokens for automation: "rg_<random>", shown once, stored as SHA-256, with
// expiry, last use and revocation. Personal tokens act as their owner with the
// owner's current role; service tokens act as a service user whose role an admin set.
import { randomBytes } from "node:crypto";
import type { PrismaClient, Prisma } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import type { Role } from "./permissions";
import type { SessionUser } from "./sessions";
import { hashToken } from "./session-token";

const API_TOKEN_PREFIX = "rg_";
export const MAX_TOKEN_DAYS = 365;
type Tx = Prisma.TransactionClient;

function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

interface CreatedToken {
  id: string;
  name: string;
  /** The secret: returned once, never stored. */
  token: string;
  expiresAt: Date;
}

async function insertToken(tx: Tx, args: { name: string; kind: "personal" | "service"; userId: string; createdBy: SessionUser; days: number; role: Role; now: Date }) {
  const token = newApiToken();
  const expiresAt = new Date(args.now.getTime() + args.days * 86_400_000);
  const row = await tx.apiToken.create({
    data: { name: args.name, kind: args.kind, tokenHash: hashToken(token), prefix: token.slice(0, 7), userId: args.userId, createdById: args.createdBy.id, expiresAt },
  });
  await recordAudit(tx, {
    actor: args.createdBy.login,
    event: "auth.token_created",
    subject: row.id,
    details: { kind: args.kind, name: args.name, role: args.role, expiresAt: expiresAt.toISOString() },
  });
  return { id: row.id, name: row.name, token, expiresAt };
}

export function createPersonalToken(tx: Tx, owner: SessionUser, name: string, days: number, now = new Date()): Promise<CreatedToken> {
  return insertToken(tx, { name, kind: "personal", userId: owner.id, createdBy: owner, days, role: owner.role, now });
}

/** The service user "svc:<name>" is created, or its role updated, in the same transaction. */
export async function createServiceToken(tx: Tx, admin: SessionUser, name: string, role: Role, days: number, now = new Date()): Promise<CreatedToken | "name_taken"> {
  const login = `svc:${name}`;
  const existing = await tx.user.findUnique({ where: { login } });
  if (existing && existing.source !== "service") return "name_taken";
  const user = existing
    ? await tx.user.update({ where: { id: existing.id }, data: { role, disabledAt: null } })
    : await tx.user.create({ data: { login, name: `Service: ${name}`, role, source: "service" } });
  return insertToken(tx, { name, kind: "service", userId: user.id, createdBy: admin, days, role, now });
}

/** Revokes a token the actor may revoke (their own personal token; admins: any). */
export async function revokeToken(tx: Tx, actor: SessionUser, id: string, now = new Date()): Promise<"revoked" | "not_found"> {
  const row = await tx.apiToken.findUnique({ where: { id } });
  const mayRevoke = row && (actor.role === "admin" || (row.kind === "personal" && row.userId === actor.id));
  if (!row || !mayRevoke) return "not_found";
  const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  if (count === 1) await recordAudit(tx, { actor: actor.login, event: "auth.token_revoked", subject: id, details: { kind: row.kind, name: row.name } });
  return "revoked";
}

/** Bearer "rg_..." -> the acting user, or null (unknown, revoked, expired or disabled). */
export async function authenticateApiToken(prisma: PrismaClient, token: string, now = new Date()): Promise<SessionUser | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.expiresAt <= now || row.user.disabledAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.user.id, login: row.user.login, name: row.user.name, role: row.user.role, via: "token" };
}
