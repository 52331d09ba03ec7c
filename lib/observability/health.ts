// Probe logic for /livez, /startupz and /readyz. Liveness is the process only
// (a database blip must not get pods killed); start-up is "migrations ran";
// readiness adds a live database round trip and a job runner that is polling.
import { loadMigrations } from "@/lib/db/migrate";
import type { SqlRunner } from "@/lib/db/sql-runner";
import { metrics } from "./metrics";

export interface RunnerHeartbeat {
  /** Epoch ms of the runner's last poll or lease renewal. */
  lastActivityAt: number;
  pollMs: number;
  stopped: boolean;
}

const KEY = Symbol.for("rolegate.runner-heartbeat");
type Holder = { [KEY]?: RunnerHeartbeat };

/** The job runner reports each poll and lease renewal here (shared across module copies). */
export function reportRunnerActivity(pollMs: number, stopped = false, at = Date.now()): void {
  (globalThis as Holder)[KEY] = { lastActivityAt: at, pollMs, stopped };
  metrics().runnerActivity.set(at / 1000);
}

export function runnerHeartbeat(): RunnerHeartbeat | undefined {
  return (globalThis as Holder)[KEY];
}

export interface Check {
  name: string;
  ok: boolean;
  message: string;
}

/** A runner counts as alive when it polled or renewed a lease within max(30 s, 5 polls). */
export function checkRunner(now = Date.now(), beat = runnerHeartbeat()): Check {
  if (!beat) return { name: "job-runner", ok: false, message: "the job runner has not started in this process" };
  if (beat.stopped) return { name: "job-runner", ok: false, message: "the job runner is stopped (shutting down)" };
  const ageMs = now - beat.lastActivityAt;
  const limit = Math.max(30_000, beat.pollMs * 5);
  return ageMs <= limit
    ? { name: "job-runner", ok: true, message: `polled ${Math.round(ageMs / 1000)} s ago` }
    : { name: "job-runner", ok: false, message: `no poll for ${Math.round(ageMs / 1000)} s (limit ${limit / 1000} s)` };
}

/** Every migration shipped with this build is recorded as applied. */
export async function checkMigrations(raw: SqlRunner, shipped = loadMigrations().map((m) => m.name)): Promise<Check> {
  const rows = await raw.query<{ name: string }>(`SELECT name FROM "_rolegate_migrations"`);
  const applied = new Set(rows.map((r) => r.name));
  const missing = shipped.filter((n) => !applied.has(n));
  return missing.length
    ? { name: "migrations", ok: false, message: `${missing.length} migration(s) not applied: ${missing.slice(0, 3).join(", ")}` }
    : { name: "migrations", ok: true, message: `${shipped.length} applied` };
}

export async function checkDatabase(raw: SqlRunner, timeoutMs = 2000): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      raw.query("SELECT 1"),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { name: "database", ok: true, message: "reachable" };
  } catch (e) {
    return { name: "database", ok: false, message: `unreachable: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** A probe's HTTP answer: 200 when every check passed, else 503; names each check (no data, no secrets). */
export function probeResponse(checks: Check[]): Response {
  const ok = checks.every((c) => c.ok);
  return Response.json({ ok, checks }, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
