// Settings of access reviews (lib/reviews), read from the environment here so a
// bad value stops start-up (loadConfig) with a message naming the setting.
import { ConfigError } from "./schema";

export interface ReviewSettings {
  /** ROLEGATE_REVIEW_OWNERS: owner groups per namespace (logins), the first reviewers of its mappings. */
  owners: Record<string, string[]>;
  /** ROLEGATE_REVIEW_UNUSED_DAYS: a mapping whose role was last used longer ago (or never), with no running pod, is pre-marked "revoke". */
  unusedDays: number;
}

export const DEFAULT_UNUSED_DAYS = 90;

export function parseUnusedDays(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_UNUSED_DAYS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new ConfigError("ROLEGATE_REVIEW_UNUSED_DAYS", `"${raw}" must be a whole number of days from 1 to 3650`);
  return n;
}

/** "namespace=login,login;namespace=login", e.g. "domino-compute=alice,bob;domino-platform=carol". Namespaces are exact names. */
export function parseReviewOwners(raw: string | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!raw?.trim()) return out;
  for (const part of raw.split(";").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    const ns = eq > 0 ? part.slice(0, eq).trim() : "";
    const logins = eq > 0 ? part.slice(eq + 1).split(",").map((l) => l.trim()).filter(Boolean) : [];
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || logins.length === 0) {
      throw new ConfigError("ROLEGATE_REVIEW_OWNERS", `"${part}" is not "namespace=login[,login...]" (groups separated by ";")`);
    }
    if (ns in out) throw new ConfigError("ROLEGATE_REVIEW_OWNERS", `namespace ${ns} is listed twice`);
    out[ns] = logins;
  }
  return out;
}

export function reviewSettingsFromEnv(env: Record<string, string | undefined>): ReviewSettings {
  return { owners: parseReviewOwners(env.ROLEGATE_REVIEW_OWNERS), unusedDays: parseUnusedDays(env.ROLEGATE_REVIEW_UNUSED_DAYS) };
}
