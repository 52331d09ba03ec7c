// Requesters read the audit of requests and mappings, not other people's
// sign-in and account events; approvers, auditors and admins read everything,
// on the API's pages and its exports alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { recordAudit } from "@/lib/audit/record";
import type { TestDatabase } from "../support/db";
import { asUser, openHarnessDatabase } from "../support/app-harness";


const { GET } = await import("@/app/api/v1/audit/route");
let t: TestDatabase;

beforeAll(async () => {
  t = await openHarnessDatabase();
  await t.prisma.$transaction(async (tx) => {
    await recordAudit(tx, { actor: "alice", event: "auth.signed_in", details: { method: "oidc" } });
    await recordAudit(tx, { actor: "bob", event: "auth.signed_in", details: { method: "oidc", groups: ["domino-admins"] } });
    await recordAudit(tx, { actor: "bob", event: "auth.token_created", subject: "t-1" });
    await recordAudit(tx, { actor: "scim", event: "scim.user_deactivated", subject: "carol" });
    await recordAudit(tx, { actor: "bob", event: "request.created", requestId: "r-1", cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-a" });
    await recordAudit(tx, { actor: "system", event: "mappings.refresh_finished" });
  });
});
afterAll(() => t?.close());

const seen = async (query = "") => {
  const res = await GET(new Request(`http://localhost/api/v1/audit${query}`));
  expect(res.status).toBe(200);
  return res;
};
const events = async (query = "") => ((await (await seen(query)).json()).rows as { actor: string; event: string }[]).map((r) => `${r.actor}:${r.event}`).sort();

describe("audit read scope", () => {
  it("a requester sees requests, mappings and their own sign-ins, not other people's sign-in or account events", async () => {
    await asUser("alice", "requester");
    expect(await events()).toEqual(["alice:auth.signed_in", "bob:request.created", "system:mappings.refresh_finished"]);
    expect(await events("?actor=bob")).toEqual(["bob:request.created"]);
    expect(await events("?event=auth.signed_in")).toEqual(["alice:auth.signed_in"]);
  });

  it("the same scope holds for CSV and JSON exports", async () => {
    await asUser("alice", "requester");
    const csv = await (await seen("?format=csv")).text();
    expect(csv).toContain("request.created");
    expect(csv).not.toMatch(/bob.*auth\.signed_in|scim\.user_deactivated|auth\.token_created/);
    const json = await (await seen("?format=json")).text();
    expect(json).not.toContain("domino-admins");
    expect(json).not.toContain("scim.user_deactivated");
  });

  it.each(["approver", "auditor", "admin"] as const)("an %s reads the whole trail", async (role) => {
    await asUser(`reader-${role}`, role);
    expect(await events()).toHaveLength(6);
  });
});
