// The decision operations over their REST routes (issue 11): request-changes,
// resubmit and fixes through the route handlers with sandbox bearer tokens, on the
// real database and sandbox; bad input is a 400 that changes nothing, never a 500.
import { describe, expect, it, vi } from "vitest";
import * as requests from "@/app/api/v1/requests/route";
import * as one from "@/app/api/v1/requests/[id]/route";
import * as changes from "@/app/api/v1/requests/[id]/request-changes/route";
import * as resubmit from "@/app/api/v1/requests/[id]/resubmit/route";
import * as fixes from "@/app/api/v1/requests/[id]/fixes/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { createInput } from "../support/requests";
import { bearerRequest, idParams, postOnRequest, useRestWorld } from "../support/rest";

vi.mock("server-only", () => ({}));

const w = useRestWorld();
const NO_TAG_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export";

const req = bearerRequest;
const ctx = idParams;
const post = postOnRequest;
const file = async (sa: string) => {
  const res = await requests.POST(req("POST", "/api/v1/requests", "alice", { ...createInput(sa, NO_TAG_ROLE), accountId: "111122223333", region: "us-east-1" }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};
const view = async (id: string) => (await one.GET(req("GET", `/api/v1/requests/${id}`, "audrey"), ctx(id))).json() as Promise<{ status: string; version: number; items: { kind: string; status: string }[] }>;

describe("decision routes", () => {
  it("fixes: 201 with the new IAM item; a bad body is a 400 and changes nothing", async () => {
    const id = await file("svc-api-fix");
    const before = await view(id);
    for (const bad of [{ check: "Trust Allows!", item: 0 }, { check: "trust-allows-pod-identity", item: "zero" }, {}]) {
      const res = await post(fixes, id, "ivy", bad);
      expect(res.status).toBe(400);
    }
    expect(await view(id)).toMatchObject({ version: before.version, items: before.items });
    const res = await post(fixes, id, "ivy", { check: "trust-allows-pod-identity", item: 0 });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id, status: "pending", kind: "iam-trust-update", position: 1 });
    expect((await view(id)).items.map((i) => i.kind)).toEqual(["create", "iam-trust-update"]);
  });

  it("request-changes then resubmit: 200 each with the new state; wrong person 403, wrong state 409", async () => {
    const id = await file("svc-api-changes");
    expect((await post(changes, id, "ivy", {})).status).toBe(400);
    expect((await post(changes, id, "alice", { reason: "my own" })).status).toBe(403);
    const sent = await post(changes, id, "ivy", { reason: "Make it time-bound" });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ id, status: "changes_requested" });
    expect((await view(id)).status).toBe("changes_requested");
    expect((await post(changes, id, "ian", { reason: "again" })).status).toBe(409);
    expect((await post(resubmit, id, "ivy", {})).status).toBe(403);
    expect((await post(resubmit, id, "alice", { justification: "short" })).status).toBe(400);
    const back = await post(resubmit, id, "alice", { justification: "Time-bound now, until the migration ends" });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ id, status: "pending" });
  });

  it("the OpenAPI document lists the three routes", async () => {
    const doc = (await (await openapi.GET()).json()) as { paths: Record<string, { post?: unknown }> };
    for (const p of ["/api/v1/requests/{id}/request-changes", "/api/v1/requests/{id}/resubmit", "/api/v1/requests/{id}/fixes"]) expect(doc.paths[p]?.post, p).toBeDefined();
  });
});
