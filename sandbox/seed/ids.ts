// Deterministic identifiers and timestamps for the seeded world. Everything is
// derived from a SHA-256 of stable names, so two builds are byte-identical and
// an id never changes when unrelated seed data is added.
import { createHash } from "node:crypto";

export function hashHex(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

function fromAlphabet(alphabet: string, length: number, parts: string[]): string {
  let out = "";
  let round = 0;
  while (out.length < length) {
    const bytes = createHash("sha256").update([...parts, String(round++)].join("\u0000")).digest();
    for (const b of bytes) {
      if (out.length >= length) break;
      out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
// Kubernetes' name generator avoids vowels and look-alike digits.
const KUBE_SUFFIX = "bcdfghjklmnpqrstvwxz2456789";

/** IAM role id: "AROA" + 17 upper-case alphanumerics. */
export const roleId = (accountId: string, roleName: string) =>
  "AROA" + fromAlphabet(UPPER_ALNUM, 17, ["role", accountId, roleName]);

/** Pod identity association id: "a-" + 17 lower-case alphanumerics. */
export const associationId = (cluster: string, namespace: string, sa: string, generation = 0) =>
  "a-" + fromAlphabet(LOWER_ALNUM, 17, ["assoc", cluster, namespace, sa, String(generation)]);

/** EKS OIDC issuer id: 32 upper-case hex digits. */
export const oidcId = (cluster: string) => hashHex("oidc", cluster).slice(0, 32).toUpperCase();

/** RFC 4122-shaped (version 4 layout) uuid from a hash. */
export function uuidFrom(...parts: string[]): string {
  const h = hashHex("uuid", ...parts);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Suffix like the ones ReplicaSets/Jobs append to generated pod names. */
export const kubeSuffix = (...parts: string[]) => fromAlphabet(KUBE_SUFFIX, 5, ["suffix", ...parts]);

/** Number in [0, n) from a hash, for deterministic "random" choices. */
export const pick = (n: number, ...parts: string[]) => parseInt(hashHex("pick", ...parts).slice(0, 8), 16) % n;

export const DEFAULT_NOW = new Date("2026-11-01T00:00:00.000Z");

const DAY_MS = 86_400_000;

/** ISO timestamp at whole seconds ("2026-11-01T00:00:00Z"), the precision Kubernetes and AWS show. */
export const isoSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** `days` (may be fractional) before `now`, via isoSeconds. */
export const daysAgo = (now: Date, days: number) => isoSeconds(new Date(now.getTime() - days * DAY_MS));
