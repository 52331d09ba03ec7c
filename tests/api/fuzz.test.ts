// The gate's integrity under generated bad input (issue 10): every /api/v1
// operation (from the OpenAPI document, checked against the route files on disk)
// is called with fast-check-generated mutated input (tests/support/fuzz-inputs.ts)
// as anonymous, a requester, an approver, an auditor, an admin, two service tokens
// and garbage bearer tokens, on a database with a scan, a mappings refresh, other
// users' requests and tokens. Every answer must be below 500; a refused call (4xx)
// must answer a JSON error with a message and leave every table, AuditEvent
// included, byte-for-byte as it was. A rare 2xx is allowed (its changes settle
// before the next call).
//
// Seed and size: FUZZ_SEED (default below, printed) and FUZZ_RUNS (calls per
// operation), e.g. FUZZ_SEED=7 FUZZ_RUNS=200 npx vitest run tests/api/fuzz.test.ts
// Authentication refreshes a session's lastSeenAt / a token's lastUsedAt at most
// once a minute, for any call it lets through: the personas' are kept fresh
// before each call so the checksum sees what the call itself changed.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as requestsRoute from "@/app/api/v1/requests/route";
import * as cancelRoute from "@/app/api/v1/requests/[id]/cancel/route";
import * as refreshes from "@/app/api/v1/mappings/refreshes/route";
import * as refresh from "@/app/api/v1/mappings/refreshes/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import { openApiDocument } from "@/lib/api/openapi";
import { createPersonalToken, createServiceToken } from "@/lib/auth/api-tokens";
import type { Role } from "@/lib/auth/permissions";
import { seedDemoUsers } from "@/lib/auth/seed-demo-users";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { createSession, type SessionUser } from "@/lib/auth/sessions";
import { blueGreenApiView } from "@/lib/bluegreen/api-view";
import { loadBlueGreen } from "@/lib/bluegreen/service";
import { computeDrift } from "@/lib/drift/compute";
import { migrationOverview } from "@/lib/migration/service";
import { apiRoutes } from "../support/api-routes";
import { asAnonymous, harness } from "../support/app-harness";
import { databaseChecksum } from "../support/db";
import { describeRequest, documentOperations, encodeLoosely, requestOf, type DocOperation, type FuzzRequest, type Known } from "../support/fuzz-inputs";
import { call, until, useApiWorld, type Handler } from "./support";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("../support/app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("../support/app-harness")).dbMock);
vi.mock("@/lib/config", async (orig) => (await import("../support/app-harness")).configMock(await orig()));

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 24);

type Persona = "anonymous" | Role | "service-admin" | "service-approver";
type Caller = { persona: Persona } | { bearer: string };

const w = useApiWorld();
const sessions = new Map<Persona, string>();
const bearers = new Map<Persona, string>();
const known: Record<string, string[]> = {};
const tally = new Map<string, Map<number, number>>();

async function personSession(login: string, role: Role): Promise<string> {
  const user = await w.prisma.user.create({ data: { login, name: login, role, source: "oidc" } });
  return (await createSession(w.prisma, user.id, "sandbox", "fuzz")).token;
}

beforeAll(async () => {
  await seedDemoUsers(w.prisma);
  const root = { bearer: "sandbox-root" };
  const s = await call(scans.POST, root, { body: {} });
  await until(() => call(scan.GET, root, { params: { id: s.body.scanId } }), (r) => r.body.status !== "running");
  const r = await call(refreshes.POST, root, { body: {} });
  await until(() => call(refresh.GET, root, { params: { id: r.body.refreshId } }), (x) => x.body.status !== "running");

  // Other users' objects: alice's pending request, bob's cancelled one, alice's personal token.
  const item = { kind: "create", cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped" };
  const pending = await call(requestsRoute.POST, { bearer: "sandbox-alice" }, { body: { ...item, serviceAccount: "svc-fuzz-alice", justification: "a pending request of someone else" } });
  const cancelled = await call(requestsRoute.POST, { bearer: "sandbox-bob" }, { body: { ...item, serviceAccount: "svc-fuzz-bob", justification: "a cancelled request of someone else" } });
  expect([pending.status, cancelled.status], JSON.stringify([pending.body, cancelled.body])).toEqual([201, 201]);
  expect((await call(cancelRoute.POST, { bearer: "sandbox-bob" }, { body: {}, params: { id: cancelled.body.id } })).status).toBe(200);
  const alice = await w.prisma.user.findUniqueOrThrow({ where: { login: "alice" } });
  const aliceToken = await w.prisma.$transaction((tx) => createPersonalToken(tx, { id: alice.id, login: alice.login, name: alice.name, role: alice.role, via: "session", kind: "person" }, "alice-ci", 30));

  for (const role of ["requester", "approver", "auditor", "admin"] as const) sessions.set(role, await personSession(`fuzz-${role}`, role));
  const admin = await w.prisma.user.findUniqueOrThrow({ where: { login: "fuzz-admin" } });
  const adminUser: SessionUser = { id: admin.id, login: admin.login, name: admin.name, role: "admin", via: "session", kind: "person" };
  for (const role of ["admin", "approver"] as const) {
    const t = await w.prisma.$transaction((tx) => createServiceToken(tx, adminUser, `fuzz-svc-${role}`, role, 30));
    if (t === "name_taken") throw new Error("service name taken");
    bearers.set(`service-${role}`, t.token);
  }

  // Real values by field name, so mutated inputs reach the handlers (and other users' objects).
  const [clusters, items, roles, associations] = await Promise.all([
    w.prisma.cluster.findMany(),
    w.prisma.requestItem.findMany(),
    call((await import("@/app/api/v1/roles/route")).GET as Handler, root, { path: "/api/v1/roles?pageSize=20" }),
    w.prisma.podIdentityAssociation.findMany({ take: 5 }),
  ]);
  const roleArns = (roles.body.rows as { arn: string }[]).slice(0, 5).map((x) => x.arn);
  const bg = blueGreenApiView(await loadBlueGreen(w.prisma));
  const drift = await computeDrift(w.prisma, w.deps.kinds);
  const candidates = await migrationOverview(w.prisma);
  const clusterNames = [...new Set(clusters.map((c) => c.name))];
  Object.assign(known, {
    id: [pending.body.id, cancelled.body.id, s.body.scanId, r.body.refreshId, aliceToken.id],
    clusterId: clusters.map((c) => c.id),
    itemId: items.map((i) => i.id),
    cluster: clusterNames,
    blue: clusterNames,
    green: clusterNames,
    accountId: ["111122223333", "444455556666"],
    region: ["us-east-1", "us-west-2"],
    namespace: ["domino-compute", "default", "kube-system"],
    serviceAccount: ["svc-fuzz-alice", "default"],
    roleArn: roleArns,
    targetRoleArn: roleArns,
    arn: [...roleArns, ...roleArns.map(encodeURIComponent)],
    associationId: associations.map((a) => a.associationId),
    key: [...drift.findings.slice(0, 3).map((f) => f.key), ...candidates.rows.slice(0, 3).map((c) => c.key)],
    issuer: bg.retiredIssuers.map((i) => i.issuer),
    mappingExpiresAt: [new Date(Date.now() + 86_400_000).toISOString(), "2020-01-01T00:00:00Z"],
    newExpiresAt: [new Date(Date.now() + 7 * 86_400_000).toISOString()],
    justification: ["generated by the fuzz test"],
    name: ["default", "alice-ci", "fuzz-svc-admin"],
  });
  console.log(`fuzz: seed ${SEED}, ${RUNS} calls per operation (override with FUZZ_SEED=<n> FUZZ_RUNS=<n>)`);
}, 180_000);

afterAll(() => {
  const lines = [...tally].map(([op, counts]) => `  ${op.padEnd(44)} ${[...counts].sort(([a], [b]) => a - b).map(([st, n]) => `${st}x${n}`).join(" ")}`);
  console.log(`fuzz: answers per operation (seed ${SEED})\n${lines.join("\n")}`);
});

const personas: Persona[] = ["anonymous", "requester", "approver", "auditor", "admin", "service-admin", "service-approver"];
const callers: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 7, arbitrary: fc.constantFrom(...personas).map((persona) => ({ persona })) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 40 }).map((t) => `rg_${t}`), fc.constantFrom("sandbox-nobody", "sandbox-", "rg_", " ", "rg_" + "x".repeat(5_000))).map((bearer) => ({ bearer })) },
);

let touchedAt = 0;
/** Signs the caller in (outside the measured call): a session cookie or an Authorization header. */
async function signIn(caller: Caller): Promise<Record<string, string>> {
  asAnonymous();
  if (Date.now() - touchedAt > 20_000) {
    await w.prisma.$executeRawUnsafe(`UPDATE "Session" SET "lastSeenAt" = now()`);
    await w.prisma.$executeRawUnsafe(`UPDATE "ApiToken" SET "lastUsedAt" = now() WHERE "revokedAt" IS NULL`);
    touchedAt = Date.now();
  }
  if ("bearer" in caller) return { authorization: `Bearer ${caller.bearer}` };
  const token = bearers.get(caller.persona);
  if (token) return { authorization: `Bearer ${token}` };
  const session = sessions.get(caller.persona);
  if (session) harness.cookies.set(SESSION_COOKIE, session);
  return {};
}

const routeFiles = new Map(apiRoutes().map((r) => [r.path, r.file]));

/** The route file's handler for this operation (the doc's path {x} is the folder [x]). */
function handlerFile(op: DocOperation): string {
  const file = routeFiles.get(op.path);
  if (!file) throw new Error(`no route file for ${op.path}`);
  return file;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
  thrown?: unknown;
}

async function send(op: DocOperation, req: FuzzRequest, auth: Record<string, string>): Promise<Answer> {
  const mod = (await import(/* @vite-ignore */ handlerFile(op))) as Record<string, Handler>;
  const headers = new Headers({ "user-agent": "fuzz", ...auth });
  if (req.contentType !== undefined) headers.set("content-type", req.contentType);
  const path = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeLoosely(req.params[k] ?? ""));
  const request = new Request(`http://localhost${path}${req.query}`, { method: req.method, headers, body: req.body });
  try {
    const res = await mod[req.method]!(request, { params: Promise.resolve(req.params) });
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
  } catch (thrown) {
    // Next answers an uncaught error with a 500.
    return { status: 500, contentType: "", text: String(thrown), thrown };
  }
}

/** After a call that succeeded: background work it started (scans, refreshes) finishes before the next call's checksum. */
async function settle() {
  await until(async () => (await w.prisma.scan.count({ where: { status: "running" } })) + (await w.prisma.mappingRefresh.count({ where: { status: "running" } })), (n) => n === 0);
  let previous = await databaseChecksum(w.prisma);
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const next = await databaseChecksum(w.prisma);
    if (next === previous) return;
    previous = next;
  }
}

const operations = documentOperations(openApiDocument());

describe("fuzz: every /api/v1 route under generated bad input", () => {
  it("the OpenAPI document and the route files name the same routes and methods", () => {
    const onDisk = apiRoutes().flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)).sort();
    expect(onDisk.length).toBeGreaterThan(30);
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(onDisk);
  });

  operations.forEach((op, index) => {
    const name = `${op.method} ${op.path}`;
    it(`${name}: never 5xx; every refusal is a JSON error and changes no table`, async () => {
      const counts = new Map<number, number>();
      tally.set(name, counts);
      await fc.assert(
        fc.asyncProperty(callers, requestOf(op, known), async (caller, req) => {
          const auth = await signIn(caller);
          const before = await databaseChecksum(w.prisma);
          const awsCallsBefore = w.sandbox.ctx.calls.lastSeq;
          const res = await send(op, req, auth);
          counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
          const what = `${name} as ${JSON.stringify(caller).slice(0, 80)}: ${describeRequest(req)}\n-> ${res.status} ${res.text.slice(0, 500)}`;
          expect(res.status, what).toBeLessThan(500);
          // A GET writes nothing (tests/api/get-writes-nothing.test.ts); other successes may have started background work.
          if (res.status < 400) return op.method === "GET" ? undefined : settle();
          expect(res.contentType, what).toContain("json");
          const error = (JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } }).error;
          expect(typeof error?.code === "string" && typeof error.message === "string" && error.message.length > 0, what).toBe(true);
          const after = await databaseChecksum(w.prisma);
          if (after === before) return;
          // The one row a refused call may write: its caller's rate-limit count, once the call has spent AWS calls.
          const reachedAws = w.sandbox.ctx.calls.lastSeq > awsCallsBefore;
          const changed = after.split("\n").filter((line) => !before.split("\n").includes(line)).map((line) => line.split(":")[0]);
          expect(reachedAws && changed.every((t) => t === "RateLimit") ? before : after, `a refused call changed ${changed.join(", ")}: ${what}`).toBe(before);
        }),
        { seed: SEED + index, numRuns: RUNS, endOnFailure: true },
      );
    });
  });
});
