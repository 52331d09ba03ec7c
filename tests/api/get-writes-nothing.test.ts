// No GET writes: every GET route handler under app/api/v1 (discovered from disk,
// so a new one is covered the day it is added) is called on a database with a
// scan, a refresh and a pending request, including GET /requests/{id}?prechecks=fresh,
// and the database must be byte-for-byte unchanged afterwards. The caller is a
// sandbox bearer token, whose authentication itself reads only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as refreshes from "@/app/api/v1/mappings/refreshes/route";
import * as refresh from "@/app/api/v1/mappings/refreshes/[id]/route";
import * as requests from "@/app/api/v1/requests/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import { seedDemoUsers } from "@/lib/auth/seed-demo-users";
import { databaseChecksum } from "../support/db";
import { call, useApiWorld, until, type Handler } from "./support";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("../support/app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("../support/app-harness")).dbMock);
vi.mock("@/lib/config", async (orig) => (await import("../support/app-harness")).configMock(await orig()));

const ROOT = path.resolve(import.meta.dirname, "../..");
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
  // A template (pending approval): GET /templates/{id} reads the clusters for its dry run and writes nothing.
  const template = await call(requests.POST, { bearer: "sandbox-alice" }, {
    body: { kind: "template", name: "get-writes", clusters: ["domino-*"], namespace: "domino-compute", serviceAccountPattern: "svc-*", roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped" },
  });
  expect(template.status).toBe(201);
  ids.template = template.body.templateId;
}, 180_000);

/** app/api/v1 route files exporting GET, as [route path, file]. */
function getRoutes(dir = path.join(ROOT, "app/api/v1"), prefix = "/api/v1"): [string, string][] {
  return readdirSync(dir).flatMap((name): [string, string][] => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return getRoutes(full, `${prefix}/${name.replace(/^\[(.+)\]$/, "{$1}")}`);
    return name === "route.ts" && /export\s+(async\s+)?function\s+GET\b/.test(readFileSync(full, "utf8")) ? [[prefix, full]] : [];
  });
}

describe("no GET writes", () => {
  it("every GET route answers without changing a single row", async () => {
    const routes = getRoutes();
    expect(routes.length).toBeGreaterThan(12);
    const roleArn = (await call((await import("@/app/api/v1/roles/route")).GET as Handler, root, { path: "/api/v1/roles?sort=assumers&dir=desc" })).body.rows[0].arn as string;
    const params: Record<string, Record<string, string>> = {
      "/api/v1/requests/{id}": { id: ids.request! },
      "/api/v1/scans/{id}": { id: ids.scan! },
      "/api/v1/templates/{id}": { id: ids.template! },
      "/api/v1/mappings/refreshes/{id}": { id: ids.refresh! },
      "/api/v1/roles/{arn}": { arn: encodeURIComponent(roleArn) },
    };
    const queries: Record<string, string[]> = { "/api/v1/requests/{id}": ["", "?prechecks=fresh"], "/api/v1/audit": ["", "?format=csv"] };
    const before = await databaseChecksum(w.prisma);
    for (const [route, file] of routes) {
      const mod = (await import(/* @vite-ignore */ file)) as { GET: Handler };
      for (const q of queries[route] ?? [""]) {
        const res = await call(mod.GET, root, { path: `${route}${q}`, params: params[route] });
        expect(res.status, `GET ${route}${q}: ${JSON.stringify(res.body)?.slice(0, 300)}`).toBe(200);
      }
    }
    expect(await databaseChecksum(w.prisma)).toBe(before);
  });
});
