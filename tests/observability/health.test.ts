// Probe checks against the real test database: liveness is the process only,
// readiness needs the database, the migrations and a polling job runner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDatabase, checkMigrations, checkRunner, probeResponse, reportRunnerActivity } from "@/lib/observability/health";
import type { SqlRunner } from "@/lib/db/sql-runner";
import { openTestDatabase, type TestDatabase } from "../support/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

describe("health checks", () => {
  it("readiness passes migrations that are all applied and names the ones that are not", async () => {
    expect(await checkMigrations(t.db.raw)).toMatchObject({ ok: true });
    const r = await checkMigrations(t.db.raw, ["20990101000000_not_applied_yet"]);
    expect(r).toMatchObject({ ok: false, name: "migrations" });
    expect(r.message).toContain("20990101000000_not_applied_yet");
  });

  it("the database check fails fast when the database does not answer", async () => {
    expect(await checkDatabase(t.db.raw)).toMatchObject({ ok: true });
    const hanging: SqlRunner = { exec: async () => {}, query: () => new Promise(() => {}), transaction: async (fn) => fn(hanging) };
    const started = Date.now();
    const r = await checkDatabase(hanging, 200);
    expect(r).toMatchObject({ ok: false, name: "database" });
    expect(Date.now() - started).toBeLessThan(2000);
    const refused: SqlRunner = { ...hanging, query: async () => Promise.reject(new Error("connection refused")) };
    expect((await checkDatabase(refused)).message).toContain("connection refused");
  });

  it("the job runner counts as alive while it polls, dead after a long silence or once stopped", () => {
    const now = Date.now();
    expect(checkRunner(now, undefined)).toMatchObject({ ok: false });
    expect(checkRunner(now, { lastActivityAt: now - 5_000, pollMs: 1000, stopped: false })).toMatchObject({ ok: true });
    expect(checkRunner(now, { lastActivityAt: now - 31_000, pollMs: 1000, stopped: false })).toMatchObject({ ok: false });
    expect(checkRunner(now, { lastActivityAt: now - 40_000, pollMs: 10_000, stopped: false })).toMatchObject({ ok: true });
    expect(checkRunner(now, { lastActivityAt: now, pollMs: 1000, stopped: true })).toMatchObject({ ok: false });
    reportRunnerActivity(1000);
    expect(checkRunner()).toMatchObject({ ok: true });
  });

  it("a probe answers 503 naming the failing check, 200 when all pass", async () => {
    const bad = probeResponse([{ name: "database", ok: true, message: "reachable" }, { name: "job-runner", ok: false, message: "not started" }]);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toMatchObject({ ok: false, checks: [{ name: "database", ok: true }, { name: "job-runner", ok: false }] });
    expect(probeResponse([{ name: "database", ok: true, message: "" }]).status).toBe(200);
  });
});
