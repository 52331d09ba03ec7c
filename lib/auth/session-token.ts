import { createHash, randomBytes } from "node:crypto";

export const SESSION_COOKIE = "rolegate_session";
/** Absolute lifetime and idle timeout of a browser session. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
export const SESSION_IDLE_MS = 60 * 60_000;

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Only the hash is stored, so a database leak does not hand out live sessions. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
