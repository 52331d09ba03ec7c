// How long a pending request stays open: ROLEGATE_REQUEST_TTL_HOURS (default 72).
export const DEFAULT_REQUEST_TTL_HOURS = 72;

export function requestTtlMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.ROLEGATE_REQUEST_TTL_HOURS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_REQUEST_TTL_HOURS * 3600_000;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 365) {
    throw new Error(`ROLEGATE_REQUEST_TTL_HOURS: "${raw}" must be a number of hours between 0 and 8760`);
  }
  return hours * 3600_000;
}
