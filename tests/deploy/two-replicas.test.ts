// Two replicas of RoleGate on one Postgres behave as one (issue 12, "Several
// replicas"): two real app processes (scripts/start.ts, as `npm start` and the
// image run it) against this run's Postgres database and one sandbox this test
// starts, which both reach through configuration (ROLEGATE_SANDBOX_EXTERNAL).
// Sessions, the apply of a request, scheduled scans and sign-in rate limits are
// shared through Postgres; a replica killed in the middle of an apply loses
// nothing. Needs DATABASE_URL (the embedded database allows one process only).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "@/lib/auth/rate-limit";
import { getAuditKey } from "@/lib/audit/key";
import { verifyAuditChain } from "@/lib/audit/verify";
import { OTHER_PI_ROLE, PROD, REGION } from "../support/constants";
import { Replica } from "../support/replica";
import { createInput, sandboxAssociations } from "../support/requests";
import { TEST_AUDIT_KEY } from "../support/test-audit-key";
import { useWorld } from "../support/world";

const root = path.resolve(__dirname, "../..");
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn("tests/deploy/two-replicas.test.ts skipped: it needs DATABASE_URL (two processes cannot share the embedded database)");

/** Short enough for the test to see several slots and a lease expire; the defaults are 60 minutes and 60 s. */
const SCAN_INTERVAL_MINUTES = 0.15;
const JOB_LEASE_SECONDS = 5;
const SLOW_CREATE_MS = 6_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe.skipIf(!DATABASE_URL)("two replicas on one Postgres", () => {
  const w = useWorld({ sandbox: true, reset: "once" });
  let a: Replica;
  let b: Replica;
  let actionIds: Map<string, string>;

  beforeAll(async () => {
    // The build both replicas serve (what `npm start` would build first): once, and only when the sources changed.
    execFileSync(process.execPath, ["--import", "tsx", "scripts/build-if-needed.ts"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production", ROLEGATE_MODE: "sandbox" } });
    const manifest = JSON.parse(readFileSync(path.join(root, ".next/server/server-reference-manifest.json"), "utf8")) as { node: Record<string, { exportedName?: string }> };
    actionIds = new Map(Object.entries(manifest.node).map(([id, v]) => [v.exportedName ?? "", id]));

    const env = {
      ROLEGATE_MODE: "sandbox",
      DATABASE_URL: DATABASE_URL!,
      ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY,
      ROLEGATE_SANDBOX_EXTERNAL: "true",
      ROLEGATE_SANDBOX_AWS_ENDPOINT: w.sandbox.awsEndpoint,
      ROLEGATE_SANDBOX_KUBE_ENDPOINT: w.sandbox.kubeEndpoint,
      ROLEGATE_SCAN_INTERVAL_MINUTES: String(SCAN_INTERVAL_MINUTES),
      ROLEGATE_JOB_LEASE_SECONDS: String(JOB_LEASE_SECONDS),
      ROLEGATE_LOG_LEVEL: "warn",
    };
    a = new Replica("a", env);
    b = new Replica("b", env);
    // Both at once, as a Deployment's pods start: migrations, demo users and the first scan race too.
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.ready(), b.ready()]);
  }, 900_000);

  afterAll(async () => {
    // Registered after useWorld's, so it runs first: the processes go before the database and sandbox do.
    await Promise.all([a?.stop(), b?.stop()]);
  }, 60_000);

  /** Posts a server action as the browser does (the build's action id); its result and any Set-Cookie. */
  async function action(replica: Replica, name: string, input: unknown, cookie?: string) {
    const id = actionIds.get(name);
    if (!id) throw new Error(`no server action ${name} in the build`);
    const res = await fetch(`${replica.url}/signin`, {
      method: "POST",
      headers: { "Next-Action": id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Origin: replica.url, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify([input]),
      redirect: "manual",
    });
    const text = await res.text();
    const ok = /"ok":(true|false)/.exec(text)?.[1];
    if (!ok) throw new Error(`${name} on replica ${replica.name}: no result in ${res.status} ${text.slice(0, 300)}`);
    const session = res.headers.getSetCookie().find((c) => c.startsWith("rolegate_session="))?.split(";")[0];
    return { ok: ok === "true", code: /"code":"(\w+)"/.exec(text)?.[1], session };
  }

  const api = (replica: Replica, method: string, url: string, auth: { bearer?: string; cookie?: string }, body?: unknown) =>
    fetch(`${replica.url}${url}`, {
      method,
      headers: {
        ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
        ...(auth.cookie ? { cookie: auth.cookie } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** Files (as alice, on one replica) and approves (as ivy, on the other) a create request; its id. */
  async function fileAndApprove(sa: string, fileOn: Replica, approveOn: Replica): Promise<string> {
    const filed = await api(fileOn, "POST", "/api/v1/requests", { bearer: "sandbox-alice" }, { ...createInput(sa, OTHER_PI_ROLE), accountId: PROD, region: REGION });
    expect(filed.status, await filed.clone().text()).toBe(201);
    const { id } = (await filed.json()) as { id: string };
    const approved = await api(approveOn, "POST", `/api/v1/requests/${id}/approve`, { bearer: "sandbox-ivy" }, { comment: "two replicas" });
    expect(approved.status, await approved.clone().text()).toBe(200);
    return id;
  }

  const auditRows = (requestId: string, event: string) => w.prisma.auditEvent.count({ where: { requestId, event } });

  async function chainVerifies() {
    const result = await verifyAuditChain(w.prisma, { key: getAuditKey() });
    expect(result.valid, JSON.stringify(result.firstBadRow ?? result)).toBe(true);
  }

  it("a session made on one replica works on the other, and signing out on either ends it on both", async () => {
    const signIn = await action(a, "signInDemoUser", { login: "alice" });
    expect(signIn).toMatchObject({ ok: true });
    const cookie = signIn.session!;
    expect(cookie).toMatch(/^rolegate_session=.+/);
    expect((await api(b, "GET", "/api/v1/requests", { cookie })).status).toBe(200);
    expect((await api(a, "GET", "/api/v1/requests", { cookie })).status).toBe(200);
    expect((await api(b, "GET", "/api/v1/requests", {})).status).toBe(401);

    expect(await action(b, "signOut", {}, cookie)).toMatchObject({ ok: true });
    expect((await api(a, "GET", "/api/v1/requests", { cookie })).status).toBe(401);
    expect((await api(b, "GET", "/api/v1/requests", { cookie })).status).toBe(401);
    expect(await w.prisma.auditEvent.count({ where: { actor: "alice", event: { in: ["auth.signed_in", "auth.signed_out"] } } })).toBe(2);
  });

  it("an approved request is applied once, by one of the two job runners racing for it", async () => {
    const sas = ["svc-replica-1", "svc-replica-2", "svc-replica-3", "svc-replica-4"];
    // Filed and approved on alternating replicas: both runners poll the queue for every one of them.
    const ids: string[] = [];
    for (const [i, sa] of sas.entries()) ids.push(await fileAndApprove(sa, i % 2 ? a : b, i % 2 ? b : a));
    for (const id of ids) {
      await until(`request ${id} applied`, async () => (await w.prisma.request.findUniqueOrThrow({ where: { id } })).status === "applied", 60_000);
    }
    const creates = w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" });
    for (const [i, sa] of sas.entries()) {
      expect(sandboxAssociations(w, "domino-green", "domino-compute", sa), sa).toHaveLength(1);
      expect(await auditRows(ids[i]!, "request.applied"), sa).toBe(1);
      expect(await auditRows(ids[i]!, "request.apply_started"), sa).toBe(1);
      expect(await auditRows(ids[i]!, "request.item_applied"), sa).toBe(1);
    }
    expect(creates.filter((c) => c.cluster === "domino-green"), "one CreatePodIdentityAssociation per request").toHaveLength(sas.length);
    // Each apply job ran once: one claim (attempt), done.
    const jobs = await w.prisma.job.findMany({ where: { queue: "apply-request" } });
    expect(jobs.map((j) => [j.status, j.attempts])).toEqual(sas.map(() => ["done", 1]));
    await chainVerifies();
  });

  it("sign-in failures spread over both replicas meet one limit, at the count one replica has", async () => {
    const { limit, windowMs } = SIGN_IN_LIMITS.perLogin;
    // Fixed windows: do not straddle a window's end.
    const left = windowMs - (Date.now() % windowMs);
    if (left < 20_000) await sleep(left + 500);
    const login = `mallory${Date.now() % 100_000}`;
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < limit + 2; i++) codes.push((await action(i % 2 ? b : a, "signInDemoUser", { login })).code);
    // A login that is no demo user is "not_found" until the shared counter passes the limit on either replica.
    expect(codes.slice(0, limit)).toEqual(Array(limit).fill("not_found"));
    expect(codes.slice(limit)).toEqual(["rate_limited", "rate_limited"]);
    const [row] = await w.prisma.$queryRaw<{ count: number }[]>`SELECT "count" FROM "RateLimit" WHERE "key" = ${`login:${login}`}`;
    // Refused attempts write nothing (lib/auth/rate-limit.ts): the shared count stops at the limit.
    expect(row?.count).toBe(limit);
  });

  it("scheduled scans on both replicas make one scan per interval slot", async () => {
    const slotsWithScans = () =>
      w.prisma.$queryRaw<{ slot: Date; scans: number }[]>`
        SELECT "scheduledFor" AS slot, count(*)::int AS scans FROM "Scan" WHERE "scheduledFor" IS NOT NULL GROUP BY 1 ORDER BY 1`;
    const slots = await until("scans in three slots", async () => {
      const s = await slotsWithScans();
      return s.length >= 3 && s;
    }, 90_000, 1_000);
    expect(slots.every((s) => s.scans === 1), JSON.stringify(slots)).toBe(true);
    const scheduled = await w.prisma.scan.findMany({ where: { trigger: "scheduled" }, orderBy: { startedAt: "asc" } });
    // Every scheduled scan belongs to a slot (the first scans at start-up too), and no slot has two.
    expect(scheduled.every((s) => s.scheduledFor !== null)).toBe(true);
    expect(new Set(scheduled.map((s) => s.scheduledFor!.getTime())).size).toBe(scheduled.length);
    // One job per slot, whichever replica enqueued it first.
    const jobs = await w.prisma.job.findMany({ where: { queue: "scheduled-scan" } });
    expect(new Set(jobs.map((j) => j.key)).size).toBe(jobs.length);
  }, 120_000);

  it("killing the replica in the middle of an apply loses nothing: the other finishes it once after the lease", async () => {
    const sa = "svc-replica-killed";
    const sinceSeq = w.sandbox.ctx.calls.lastSeq;
    w.sandbox.ctx.faults.configure({ latencyByOperation: { CreatePodIdentityAssociation: SLOW_CREATE_MS } });
    const id = await fileAndApprove(sa, a, b);
    const job = await until("the apply job claimed", async () => {
      const jobs = await w.prisma.job.findMany({ where: { queue: "apply-request", status: "running" } });
      return jobs.find((j) => (j.payload as { requestId?: string }).requestId === id);
    });
    const applier = [a, b].find((r) => job.lockedBy?.split(":")[1] === String(r.pid));
    expect(applier, `lockedBy ${job.lockedBy} names one of the replicas' processes`).toBeDefined();
    const other = applier === a ? b : a;
    // The item is "applying" right before its AWS call; the call takes SLOW_CREATE_MS in the sandbox.
    await until("the item being applied", async () => (await w.prisma.requestItem.findFirst({ where: { requestId: id } }))?.status === "applying");
    await sleep(1_000);
    const killedAt = Date.now();
    await applier!.kill();
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id } })).status).toBe("applying");

    await until("the request applied by the other replica", async () => (await w.prisma.request.findUniqueOrThrow({ where: { id } })).status === "applied", 60_000);
    const after = await w.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(after.status).toBe("done");
    expect(after.lockedBy?.split(":")[1], "the surviving replica finished the job").toBe(String(other.pid));
    expect(after.attempts).toBe(2);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(JOB_LEASE_SECONDS * 1000 - 1_000);

    // The killed replica's call was in flight (the sandbox finished it after the kill) and the survivor sent it again:
    // exactly once all the same, one association for the SA (the retry reused the item's idempotency token), one applied row.
    const creates = w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation", sinceSeq });
    expect(creates.map((c) => c.status)).toEqual([200, 200]);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", sa)).toHaveLength(1);
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: id } });
    expect(item.resultAssociationId).toBe(sandboxAssociations(w, "domino-green", "domino-compute", sa)[0]!.associationId);
    expect(await auditRows(id, "request.applied")).toBe(1);
    expect(await auditRows(id, "request.item_applied")).toBe(1);
    expect(await auditRows(id, "request.apply_started")).toBe(1);
    await chainVerifies();
    // The survivor keeps serving.
    expect((await fetch(`${other.url}/readyz`)).status).toBe(200);
  }, 120_000);
});
