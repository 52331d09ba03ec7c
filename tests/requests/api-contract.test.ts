// The REST contract of /api/v1, through the route handlers' exported functions
// with real Request objects and sandbox bearer tokens (ROLEGATE_MODE=sandbox),
// on the real database and sandbox. Plus the Slack-compatible webhook.
import { readdirSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createRequestRunner } from "@/lib/workers/request-handlers";
import { sendWebhook } from "@/lib/jobs/webhook";
import * as requests from "@/app/api/v1/requests/route";
import * as one from "@/app/api/v1/requests/[id]/route";
import * as approve from "@/app/api/v1/requests/[id]/approve/route";
import * as reject from "@/app/api/v1/requests/[id]/reject/route";
import * as cancel from "@/app/api/v1/requests/[id]/cancel/route";
import * as prechecks from "@/app/api/v1/requests/[id]/prechecks/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { OTHER_PI_ROLE } from "../support/constants";
import { createInput } from "../support/requests";
import { bearerRequest, idParams, postOnRequest, useRestWorld } from "../support/rest";

vi.mock("server-only", () => ({}));

const w = useRestWorld();
const req = bearerRequest;
/** A valid body; sandbox mode watches two accounts, so the cluster's account and region are given. */
const body = (sa: string) => ({ ...createInput(sa, OTHER_PI_ROLE), accountId: "111122223333", region: "us-east-1" });
const ctx = idParams;
const file = (login: string, body: unknown) => requests.POST(req("POST", "/api/v1/requests", login, body));
const fileOk = async (sa: string) => {
  const res = await file("alice", body(sa));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};
const post = postOnRequest;

describe("POST /api/v1/requests", () => {
  it("201 {id, status, prechecks}", async () => {
    const res = await file("alice", body("svc-api-1"));
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(Object.keys(created).sort()).toEqual(["id", "prechecks", "status"]);
    expect(created).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: "pending" });
    expect(created.prechecks.length).toBeGreaterThan(3);
    for (const p of created.prechecks) expect(p).toMatchObject({ id: expect.any(String), status: expect.stringMatching(/^(pass|fail|warn)$/), message: expect.any(String) });
  });

  it("400 with a message per field: bad ARNs, Kubernetes names, oversize session policy, malformed JSON", async () => {
    const bad = await file("alice", { ...createInput("Bad_SA!"), namespace: "-ns-", roleArn: "arn:aws:s3:::bucket", targetRoleArn: "role/x", sessionPolicy: "x".repeat(10_001), justification: "short" });
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe("invalid");
    for (const field of ["serviceAccount", "namespace", "roleArn", "targetRoleArn", "sessionPolicy", "justification"]) {
      expect(error.fields[field], field).toEqual([expect.any(String)]);
    }
    const malformed = await file("alice", "{not json");
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.fields).toHaveProperty("_");
    const badToken = await requests.POST(new Request(`http://rolegate.test/api/v1/requests`, { method: "POST", headers: { authorization: "Bearer sandbox-mallory" }, body: "{}" }));
    expect(badToken.status).toBe(401);
    const auditor = await file("audrey", body("svc-aud"));
    expect(auditor.status).toBe(403);
  });
});

describe("GET and transitions", () => {
  it("404 unknown id, 400 bad id; GET returns the request; ?prechecks=fresh re-runs them without storing (a GET writes nothing); POST .../prechecks re-runs and stores them", async () => {
    const missing = await one.GET(req("GET", "/api/v1/requests/x", "ivy"), ctx("00000000-0000-4000-8000-000000000000"));
    expect(missing.status).toBe(404);
    expect((await one.GET(req("GET", "/api/v1/requests/x", "ivy"), ctx("nope"))).status).toBe(400);
    const id = await fileOk("svc-api-get");
    const got = await (await one.GET(req("GET", `/api/v1/requests/${id}`, "ivy"), ctx(id))).json();
    expect(got).toMatchObject({ id, kind: "create", status: "pending", approvals: 0, association: null });
    const firstAt = got.prechecksAt;
    await new Promise((r) => setTimeout(r, 20));
    const fresh = await (await one.GET(req("GET", `/api/v1/requests/${id}?prechecks=fresh`, "ivy"), ctx(id))).json();
    expect(new Date(fresh.prechecksAt).getTime()).toBeGreaterThan(new Date(firstAt).getTime());
    const stored = await w.prisma.request.findUniqueOrThrow({ where: { id } });
    expect(stored.prechecksAt?.toISOString()).toBe(firstAt);
    const rerun = await post(prechecks, id, "ivy");
    expect(rerun.status).toBe(200);
    const rerunBody = await rerun.json();
    expect(rerunBody).toMatchObject({ id, prechecks: expect.any(Array), prechecksAt: expect.any(String) });
    const storedAfter = await w.prisma.request.findUniqueOrThrow({ where: { id } });
    expect(storedAfter.prechecksAt?.toISOString()).toBe(rerunBody.prechecksAt);
    expect(await w.prisma.auditEvent.count({ where: { event: "request.prechecks_refreshed", subject: `request:${id}`, actor: "ivy" } })).toBe(1);
  });

  it("403 own approval, 200 approve, 409 already reviewed / wrong state", async () => {
    const id = await fileOk("svc-api-rev");
    expect((await post(approve, id, "alice")).status).toBe(403);
    const ok = await post(approve, id, "ivy", { comment: "fine" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id, status: "approved" });
    expect((await post(approve, id, "ivy")).status).toBe(409);
    expect((await post(reject, id, "ian", { reason: "too late" })).status).toBe(409);
    expect((await post(cancel, id, "alice")).status).toBe(409);
    const missingReason = await post(reject, id, "ian", {});
    expect(missingReason.status).toBe(400);
    expect((await missingReason.json()).error.fields).toHaveProperty("reason");
  });
});

describe("GET /api/v1/openapi.json", () => {
  const routes = (dir: string, prefix = "/api/v1"): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return routes(full, `${prefix}/${name.replace(/^\[(.+)\]$/, "{$1}")}`);
      return name === "route.ts" ? [prefix] : [];
    });

  it("documents every route file under app/api/v1, with each exported method", async () => {
    const doc = await openapi.GET().json();
    const files = routes(path.resolve("app/api/v1"));
    expect(files.length).toBeGreaterThan(10);
    expect(Object.keys(doc.paths).sort()).toEqual([...files].sort());
    for (const route of files) {
      const dir = path.resolve("app", route.slice(1).replace(/\{(\w+)\}/g, "[$1]"));
      const mod = (await import(/* @vite-ignore */ path.join(dir, "route.ts"))) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => typeof mod[m] === "function")) {
        expect(doc.paths[route], `${method} ${route}`).toHaveProperty(method.toLowerCase());
      }
    }
  });
});

describe("webhook", () => {
  it("a local server receives Slack-compatible JSON for created, decided, applied and failed", async () => {
    const received: { text: string; rolegate: { event: string; requestId: string } }[] = [];
    const server = http.createServer((rq, rs) => {
      let data = "";
      rq.on("data", (c) => (data += c));
      rq.on("end", () => {
        expect(rq.headers["content-type"]).toContain("application/json");
        received.push(JSON.parse(data));
        rs.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    try {
      const good = await fileOk("svc-hook-ok");
      const bad = await fileOk("svc-hook-bad");
      await post(approve, good, "ivy");
      const runner = createRequestRunner({ ...w.deps, backoff: { tries: 1, baseMs: 1 } }, { log: () => {} }, (n) => sendWebhook(n, url));
      await runner.drain();
      w.sandbox.ctx.faults.configure({ failNext: { CreatePodIdentityAssociation: 5 } });
      await post(approve, bad, "ivy");
      await runner.drain();
      w.sandbox.ctx.faults.configure({});
      const events = (id: string) => received.filter((m) => m.rolegate.requestId === id).map((m) => m.rolegate.event);
      expect(events(good)).toEqual(["created", "decided", "applied"]);
      expect(events(bad)).toEqual(["created", "decided", "failed"]);
      for (const m of received) expect(m.text).toMatch(/^RoleGate (created|decided|applied|failed): /);
    } finally {
      server.close();
    }
  }, 60_000);
});
