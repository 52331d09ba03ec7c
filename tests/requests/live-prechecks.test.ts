// The new-request form runs the prechecks as soon as cluster, service account and
// role are known: POST /api/v1/prechecks takes the body before the justification
// is written, and still refuses a short one that is given.
import { describe, expect, it, vi } from "vitest";
import * as prechecks from "@/app/api/v1/prechecks/route";
import { OTHER_PI_ROLE } from "../support/constants";
import { createInput } from "../support/requests";
import { bearerRequest, useRestWorld } from "../support/rest";

vi.mock("server-only", () => ({}));

const w = useRestWorld();
const { justification: _j, ...noJustification } = { ...createInput("svc-live-checks", OTHER_PI_ROLE), accountId: "111122223333", region: "us-east-1" };
const post = (body: unknown) => prechecks.POST(bearerRequest("POST", "/api/v1/prechecks", "alice", body));

describe("POST /api/v1/prechecks before the justification", () => {
  it("runs every check without a justification (absent or empty) and files nothing", async () => {
    for (const body of [noJustification, { ...noJustification, justification: "" }]) {
      const res = await post(body);
      expect(res.status).toBe(200);
      const ids = ((await res.json()) as { prechecks: { id: string }[] }).prechecks.map((p) => p.id);
      expect(ids).toEqual(expect.arrayContaining(["role-exists", "trust-allows-pod-identity"]));
    }
    expect(await w.prisma.request.count()).toBe(0);
  });

  it("a justification that is given is still checked: 400 naming it", async () => {
    const res = await post({ ...noJustification, justification: "short" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { fields: Record<string, string[]> } }).error.fields.justification).toEqual(["explain why in at least 10 characters"]);
  });
});
