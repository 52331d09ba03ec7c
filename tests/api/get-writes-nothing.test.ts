// No GET writes: every GET route handler under app/api/v1 (discovered from disk,
// so a new one is covered the day it is added) is called on a database with a
// scan, a refresh and a pending request, including GET /requests/{id}?prechecks=fresh,
// and the database must be byte-for-byte unchanged afterwards. The caller is a
// sandbox bearer token, whose authentication itself reads only; a browser session
// and an API token are checked too (their bookkeeping is written elsewhere).
import { beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import * as refreshes from "@/app/api/v1/mappings/refreshes/route";
import * as refresh from "@/app/api/v1/mappings/refreshes/[id]/route";
import * as requests from "@/app/api/v1/requests/route";
import * as reviews from "@/app/api/v1/reviews/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import { keepSessionAlive } from "@/lib/actions/keep-session-alive";
import { createServiceToken } from "@/lib/auth/api-tokens";
import { currentUser } from "@/lib/auth/authenticate";
import { seedDemoUsers } from "@/lib/auth/seed-demo-users";
import { apiRoutes } from "../support/api-routes";
import { flushTokenUses } from "@/lib/workers/auth-upkeep";
import { asBearer, asUser, harness } from "../support/app-harness";
import { databaseChecksum } from "../support/db";
import { call, useApiWorld, until, type Handler } from "./support";


const root = { bearer: "sandbox-root" };
const w = useApiWorld();
const ids: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoUsers(w.prisma);
  const s = await call(scans.POST, root, { body: {} });
  ids.scan = s.body.scanId;
  await until(() => call(scan.GET, root, { params: { id: ids.scan! } }), (r) => r.body.status !== "running");
  const r = await call(refreshes.POST, root, { body: {} });
  ids.refresh = r.body.refreshId;
  await until(() => call(refresh.GET, root, { params: { id: ids.refresh! } }), (x) => x.body.status !== "running");
  const filed = await call(requests.POST, { bearer: "sandbox-alice" }, {
    body: { kind: "create", cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", serviceAccount: "svc-get-writes", roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped", justification: "a pending request for the GET checks" },
  });
  expect(filed.status).toBe(201);
  ids.request = filed.body.id;
  const campaign = await call(reviews.POST, root, { body: { name: "GET checks", scope: { clusters: ["domino-green"] }, dueAt: new Date(Date.now() + 86_400_000).toISOString() } });
  expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
  ids.campaign = campaign.body.id;
  // A template (pending approval): GET /templates/{id} reads the clusters for its dry run and writes nothing.
  const template = await call(requests.POST, { bearer: "sandbox-alice" }, {
    body: { kind: "template", name: "get-writes", clusters: ["domino-*"], namespace: "domino-compute", serviceAccountPattern: "svc-*", roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped" },
  });
  expect(template.status).toBe(201);
  ids.template = template.body.templateId;
}, 180_000);

describe("no GET writes", () => {
  it("every GET route answers without changing a single row", async () => {
    const routes = apiRoutes().filter((r) => r.methods.includes("GET"));
    expect(routes.length).toBeGreaterThan(12);
    const roleArn = (await call((await import("@/app/api/v1/roles/route")).GET as Handler, root, { path: "/api/v1/roles?sort=assumers&dir=desc" })).body.rows[0].arn as string;
    const params: Record<string, Record<string, string>> = {
      "/api/v1/requests/{id}": { id: ids.request! },
      "/api/v1/scans/{id}": { id: ids.scan! },
      "/api/v1/templates/{id}": { id: ids.template! },
      "/api/v1/mappings/refreshes/{id}": { id: ids.refresh! },
      "/api/v1/roles/{arn}": { arn: encodeURIComponent(roleArn) },
      "/api/v1/roles/{arn}/tightened-trust": { arn: encodeURIComponent(roleArn) },
      "/api/v1/reviews/{id}": { id: ids.campaign! },
      "/api/v1/reviews/{id}/report": { id: ids.campaign! },
    };
    const queries: Record<string, string[]> = { "/api/v1/requests/{id}": ["", "?prechecks=fresh"], "/api/v1/audit": ["", "?format=csv"], "/api/v1/reviews/{id}/report": ["", "?format=csv"] };
    const before = await databaseChecksum(w.prisma);
    for (const { path: route, file } of routes) {
      const mod = (await import(/* @vite-ignore */ file)) as { GET: Handler };
      for (const q of queries[route] ?? [""]) {
        const res = await call(mod.GET, root, { path: `${route}${q}`, params: params[route] });
        expect(res.status, `GET ${route}${q}: ${JSON.stringify(res.body)?.slice(0, 300)}`).toBe(200);
      }
    }
    expect(await databaseChecksum(w.prisma)).toBe(before);
  });

  it("an authenticated GET writes nothing: a session's idle clock stays, an API token's use is only noted in memory", async () => {
    const { id: userId } = await asUser("gwn-browser", "auditor");
    // Ten minutes since the session's last refresh: the heartbeat or a mutation would move it now, a GET must not.
    await w.prisma.session.updateMany({ where: { userId }, data: { lastSeenAt: new Date(Date.now() - 10 * 60_000) } });
    const admin = await w.prisma.user.findUniqueOrThrow({ where: { login: "root" } });
    const created = await w.prisma.$transaction((tx) => createServiceToken(tx, { id: admin.id, login: admin.login, name: admin.name, role: "admin", via: "session", kind: "person" }, "gwn-reader", "auditor", 30));
    if (created === "name_taken") throw new Error("service token name taken");
    const cookie = new Map(harness.cookies);
    const before = await databaseChecksum(w.prisma);
    const sessionUser = await currentUser(); // what every page render and GET route does first
    expect(sessionUser).toMatchObject({ login: "gwn-browser", via: "session" });
    expect((await requests.GET(new Request("http://localhost/api/v1/requests"))).status).toBe(200);
    asBearer(created.token);
    expect((await requests.GET(new Request("http://localhost/api/v1/requests"))).status).toBe(200);
    expect(await databaseChecksum(w.prisma)).toBe(before);
    // The writes happen elsewhere: a mutation (or the heartbeat) moves the idle clock, the upkeep records the token use.
    harness.cookies = cookie;
    harness.headers = new Headers();
    expect(await keepSessionAlive({})).toEqual({ ok: true, data: { session: true } });
    const session = await w.prisma.session.findFirstOrThrow({ where: { userId } });
    expect(Date.now() - session.lastSeenAt.getTime()).toBeLessThan(60_000);
    expect(await keepSessionAlive({})).toEqual({ ok: true, data: { session: true } });
    expect((await w.prisma.session.findFirstOrThrow({ where: { userId } })).lastSeenAt).toEqual(session.lastSeenAt);
    await flushTokenUses(w.prisma);
    expect((await w.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();
  });
});
