import { createHash, createHmac, randomBytes } from "node:crypto";
import { getAuditKey, type AuditKey } from "@/lib/audit/key";

export const SESSION_COOKIE = "rolegate_session";
/** Absolute lifetime and idle timeout of a browser session. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
export const SESSION_IDLE_MS = 60 * 60_000;

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of a token, hex: what rows held before the hashes were keyed (and what keyedTokenHash keys). */
export function plainTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** HMAC under the credentials subkey of a plain hash: also how the once-only conversion keys the rows written before. */
export function keyedTokenHash(plainHash: string, key: AuditKey = getAuditKey()): string {
  return createHmac("sha256", key.credentials).update(plainHash).digest("hex");
}

/**
 * What a session or API token row stores and is looked up by. Only a hash, so a
 * database leak does not hand out live sessions; keyed (ROLEGATE_AUDIT_KEY is not
 * in the database), so someone who can write the database but lacks the key
 * cannot insert a row that matches a token of their choosing.
 */
export function hashToken(token: string, key?: AuditKey): string {
  return keyedTokenHash(plainTokenHash(token), key);
}
