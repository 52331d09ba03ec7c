import "server-only";
// API tokens for automation: "rg_<random>", shown once, stored as a keyed hash (./session-token.ts), with
// expiry, last use and revocation. Personal tokens act as their owner with the
// owner's current role; service tokens act as a service user whose role an admin set.
import { randomBytes } from "node:crypto";
import type { PrismaClient, Prisma, RunMode } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { getConfig } from "@/lib/config";
import { DomainError } from "@/lib/core/errors";
import type { Role } from "./permissions";
import { bornInAcceptedMode, principalKind } from "./principal";
import type { SessionUser } from "./sessions";
import { hashToken } from "./session-token";
import { tokenUses, type TokenUses } from "./token-uses";

export const API_TOKEN_PREFIX = "rg_";
/** The input schemas' outer bound; the effective cap is ROLEGATE_TOKEN_MAX_DAYS (default 90), checked below. */
export const MAX_TOKEN_DAYS = 365;
type Tx = Prisma.TransactionClient;

export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export interface CreatedToken {
  id: string;
  name: string;
  /** The secret: returned once, never stored. */
  token: string;
  expiresAt: Date;
}

/** A token outliving a person's time in the IdP is a back door: lifetimes are capped (ROLEGATE_TOKEN_MAX_DAYS). */
export function checkTokenDays(days: number, maxDays = getConfig().tokenMaxDays): void {
  if (days > maxDays) {
    throw new DomainError("invalid", `A token may live at most ${maxDays} days (ROLEGATE_TOKEN_MAX_DAYS); you asked for ${days}. Pick ${maxDays} or fewer and renew it before it expires.`, {
      expiresInDays: [`must be at most ${maxDays}`],
    });
  }
}

async function insertToken(tx: Tx, args: { name: string; kind: "personal" | "service"; userId: string; createdBy: SessionUser; days: number; role: Role; now: Date }) {
  checkTokenDays(args.days);
  const mode: RunMode = getConfig().mode;
  const token = newApiToken();
  const expiresAt = new Date(args.now.getTime() + args.days * 86_400_000);
  const row = await tx.apiToken.create({
    data: { name: args.name, kind: args.kind, tokenHash: hashToken(token), prefix: token.slice(0, 7), userId: args.userId, createdById: args.createdBy.id, expiresAt, mode },
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
  // An admin minting a token in this mode vouches for the service account in this mode.
  const mode = getConfig().mode;
  const user = existing
    ? await tx.user.update({ where: { id: existing.id }, data: { role, disabledAt: null, mode } })
    : await tx.user.create({ data: { login, name: `Service: ${name}`, role, source: "service", mode } });
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
export async function authenticateApiToken(prisma: PrismaClient, token: string, now = new Date(), mode: RunMode = getConfig().mode, uses: TokenUses = tokenUses()): Promise<SessionUser | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.expiresAt <= now || row.user.disabledAt || row.user.deprovisionedAt) return null;
  if (!bornInAcceptedMode(mode, row.mode, row.user.mode)) return null;
  // Noted in memory, not written: the background upkeep records it (./token-uses.ts).
  uses.note(row.id, now);
  return { id: row.user.id, login: row.user.login, name: row.user.name, role: row.user.role, via: "token", kind: row.kind === "service" ? "service" : principalKind(row.user.source) };
}
