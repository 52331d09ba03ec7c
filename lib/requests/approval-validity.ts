// How long an approval stays good for applying: ROLEGATE_APPROVAL_VALID_HOURS
// (default 72). A failed request decided longer ago than that is not retried on the
// old approval: the retry answers 409 and the requester files it again, so reviewers
// decide on today's state of AWS, not the one they saw days ago.
import { ConfigError } from "@/lib/config/schema";

export const DEFAULT_APPROVAL_VALID_HOURS = 72;

export function approvalValidMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.ROLEGATE_APPROVAL_VALID_HOURS;
  if (raw === undefined || raw === "") return DEFAULT_APPROVAL_VALID_HOURS * 3600_000;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 90) throw new ConfigError("ROLEGATE_APPROVAL_VALID_HOURS", "must be a number of hours between 0 and 2160");
  return hours * 3600_000;
}
