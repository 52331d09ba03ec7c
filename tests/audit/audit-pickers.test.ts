// The /audit page's actor and event pickers (lib/audit/queries auditView): each
// value once, sorted, from the rows the reader may see (a requester's scope
// hides other people's sign-ins), counted in the database, not by reading the trail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { auditScope } from "@/lib/auth/audit-scope";
import { parseAuditQuery } from "@/lib/audit/query";
import { auditView } from "@/lib/audit/queries";
import { recordAudit } from "@/lib/audit/record";
import type { TestDatabase } from "../support/db";
import { openHarnessDatabase } from "../support/app-harness";

let t: TestDatabase;

beforeAll(async () => {
  t = await openHarnessDatabase();
  await t.prisma.$transaction(async (tx) => {
    await recordAudit(tx, { actor: "bob", event: "auth.signed_in" });
    await recordAudit(tx, { actor: "alice", event: "auth.signed_in" });
    await recordAudit(tx, { actor: "bob", event: "request.created", requestId: "r-1" });
    await recordAudit(tx, { actor: "ivy", event: "request.approved", requestId: "r-1" });
    await recordAudit(tx, { actor: "bob", event: "request.created", requestId: "r-2" });
  });
});
afterAll(() => t?.close());

describe("the audit page's pickers", () => {
  it("offer every actor and event of the trail once, sorted", async () => {
    const { actors, events, result } = await auditView(parseAuditQuery({}).query, auditScope({ login: "audrey", role: "auditor" }));
    expect(actors.map((a) => a.actor)).toEqual(["alice", "bob", "ivy"]);
    expect(events.map((e) => e.event)).toEqual(["auth.signed_in", "request.approved", "request.created"]);
    expect(result.total).toBe(5);
  });

  it("offer only what a requester may read: no other person's sign-in", async () => {
    const { actors, events } = await auditView(parseAuditQuery({ actor: "bob" }).query, auditScope({ login: "alice", role: "requester" }));
    // The filter narrows the rows, not the pickers: they list what the reader's scope holds.
    expect(actors.map((a) => a.actor)).toEqual(["alice", "bob", "ivy"]);
    expect(events.map((e) => e.event)).toEqual(["auth.signed_in", "request.approved", "request.created"]);
    const bobScope = await auditView(parseAuditQuery({}).query, auditScope({ login: "bob", role: "requester" }));
    expect(bobScope.actors.map((a) => a.actor)).toEqual(["bob", "ivy"]);
  });
});
