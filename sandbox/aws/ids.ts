// Identifier generators. Deterministic ones derive from a seed so the same world
// always shows the same ids (stable snapshots, stable external ids); random ones
// are used where AWS itself would hand out something unpredictable.
import { createHash, randomBytes, randomUUID } from "node:crypto";

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function fromBytes(bytes: Uint8Array, length: number, alphabet: string): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

export function hashChars(seed: string, length: number, alphabet = UPPER_ALNUM): string {
  const bytes = createHash("sha256").update(seed).digest();
  return fromBytes(bytes, length, alphabet);
}

export function hexHash(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** UUID-formatted but derived from a seed (used for EKS externalId). */
export function uuidFrom(seed: string): string {
  const h = hexHash(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newAssociationId(): string {
  return "a-" + fromBytes(randomBytes(17), 17, LOWER_ALNUM);
}

export function newRequestId(): string {
  return randomUUID();
}

/** IAM role ids: "AROA" + 17 chars, 21 in total, stable per account and name. */
export function roleIdFor(accountId: string, roleName: string): string {
  return "AROA" + hashChars(`role:${accountId}:${roleName}`, 17);
}

export function userIdFor(accountId: string, userName: string): string {
  return "AIDA" + hashChars(`user:${accountId}:${userName}`, 17);
}

export { LOWER_ALNUM, UPPER_ALNUM };
