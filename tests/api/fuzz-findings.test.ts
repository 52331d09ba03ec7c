// What the generated-input fuzz test (./fuzz.test.ts) found, pinned one by one:
// each of these inputs once answered 500 (or changed a table while refused).
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as approve from "@/app/api/v1/requests/[id]/approve/route";
import * as audit from "@/app/api/v1/audit/route";
import * as mappings from "@/app/api/v1/mappings/route";
import * as request from "@/app/api/v1/requests/[id]/route";
import * as requests from "@/app/api/v1/requests/route";
import * as role from "@/app/api/v1/roles/[arn]/route";
import * as token from "@/app/api/v1/tokens/[id]/route";
import { databaseChecksum } from "../support/db";
import { call, useApiWorld, type Handler } from "./support";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("../support/app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("../support/app-harness")).dbMock);
vi.mock("@/lib/config", async (orig) => (await import("../support/app-harness")).configMock(await orig()));

const w = useApiWorld();
const item = { kind: "create", cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", serviceAccount: "svc-findings", roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped", justification: "pinned by the fuzz findings" };

beforeAll(async () => {
  // A first session per role, so the checksums below see only what the calls themselves do.
  for (const r of ["requester", "approver", "auditor", "admin"] as const) await call(mappings.GET as Handler, r, { path: "/api/v1/mappings" });
});

/** Calls and expects a 400 naming `field`, with every table as it was (the caller's session is made before the checksum). */
async function expectRefused(field: string, send: () => Promise<{ status: number; body: any }>) {
  const before = await databaseChecksum(w.prisma);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error).toMatchObject({ code: "invalid", message: expect.any(String) });
  expect(Object.keys(res.body.error.fields)).toContain(field);
  const after = await databaseChecksum(w.prisma);
  // The caller's new session row is the only difference allowed.
  expect(after.split("\n").filter((l) => !before.includes(l)).every((l) => l.startsWith("Session:"))).toBe(true);
}

describe("path parameters", () => {
  it("a bare % (Next hands %25 decoded) is a 400 naming the parameter, not a URIError 500 from decoding it twice", async () => {
    await expectRefused("id", () => call(request.GET as Handler, "auditor", { params: { id: "100%" } }));
    await expectRefused("arn", () => call(role.GET as Handler, "auditor", { params: { arn: "arn:aws:iam::111122223333:role/a%" } }));
    await expectRefused("id", () => call(approve.POST as Handler, "approver", { params: { id: "%E0%A4%A" }, body: {} }));
    await expectRefused("id", () => call(token.DELETE as Handler, "admin", { method: "DELETE", params: { id: "%" } }));
  });

  it("an ARN encoded twice is still found (decoded once more), so the documented URL-encoded form keeps working", async () => {
    const res = await call(role.GET as Handler, "auditor", { params: { arn: encodeURIComponent("arn:aws:iam::111122223333:role/domino/none") } });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("arn:aws:iam::111122223333:role/domino/none");
  });
});

describe("NUL characters", () => {
  it("in a query filter: 400 naming it, not a Postgres 22021 (invalid byte sequence) answered as 500", async () => {
    await expectRefused("q", () => call(mappings.GET as Handler, "auditor", { path: "/api/v1/mappings?q=a%00b" }));
    await expectRefused("actor", () => call(audit.GET as Handler, "auditor", { path: "/api/v1/audit?actor=%00" }));
  });

  it("in a body field or a tag key: 400 naming it, nothing filed", async () => {
    await expectRefused("justification", () => call(requests.POST as Handler, "requester", { body: { ...item, justification: "why not\u0000 at all" } }));
    await expectRefused("tags.team\u0000", () => call(requests.POST as Handler, "requester", { body: { ...item, tags: { "team\u0000": "x" } } }));
    expect(await w.prisma.request.count()).toBe(0);
  });
});

describe("clusters that do not exist", () => {
  it("a delete on a cluster missing from a watched account is filed with the failing cluster precheck, not a 500 from ListPodIdentityAssociations", async () => {
    const res = await call(requests.POST as Handler, "requester", {
      body: { kind: "delete", cluster: "domino-mixed", accountId: "444455556666", region: "us-east-1", namespace: "kube-system", serviceAccount: "default", justification: "a cluster that is not there" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.prechecks).toContainEqual(expect.objectContaining({ id: "cluster-pod-identity-agent", status: "fail", message: expect.stringContaining("domino-mixed does not exist") }));
  });
});
