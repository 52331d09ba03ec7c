// The one way the product shows a moment: relative to now ("3 hours ago", "in
// 2 days"), with the exact UTC time in the tooltip and in <time dateTime> for
// machines. Formatting lives in lib-free functions so tests can pin it.
type Moment = Date | string | number;

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1_000],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "2026-12-01 03:45:12 UTC": the exact form, shown in tooltips. */
export function exactTime(at: Moment): string {
  return new Date(at).toISOString().slice(0, 19).replace("T", " ") + " UTC";
}

/** "3 hours ago", "in 2 days", "now": the largest unit that fits, rounded toward zero. */
export function relativeTime(at: Moment, now: Date = new Date()): string {
  const diff = new Date(at).getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    const n = Math.trunc(diff / ms);
    if (n !== 0) return relative.format(n, unit);
  }
  return "now";
}

/** A moment in the page: relative text, exact UTC time on hover. */
export function Time({ at, now, className }: { at: Moment; now?: Date; className?: string }) {
  const d = new Date(at);
  return (
    // The relative text depends on when it renders: the server's and the browser's may differ by a tick.
    <time dateTime={d.toISOString()} title={exactTime(d)} className={className} suppressHydrationWarning>
      {relativeTime(d, now)}
    </time>
  );
}
