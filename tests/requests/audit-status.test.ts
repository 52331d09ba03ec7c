// The audit status a requester sees for their own requests: last event, and
// whether the request's rows verify in the chain (fails after tampering).
import { describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { requestAuditStatus, requestAuditStatuses } from "@/lib/requests/audit-status";
import { OTHER_PI_ROLE } from "../support/constants";
import { createInput } from "../support/requests";
import { asOwnerWithoutAuditTriggers } from "../support/db";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
const { alice, ivy } = w.users;

describe("request audit status", () => {
  it("shows the last event and a verifying chain; an edited row makes only that request fail, naming the row", async () => {
    const a = await createRequest(w.deps, alice, createInput("svc-audit-a", OTHER_PI_ROLE));
    const b = await createRequest(w.deps, alice, createInput("svc-audit-b", OTHER_PI_ROLE));
    await approveRequest(w.deps, ivy, { id: a.id });
    const before = await requestAuditStatuses(w.prisma, [a.id, b.id]);
    expect(before.get(a.id)).toMatchObject({ rows: 2, valid: true, lastEvent: { event: "request.approved", actor: "ivy" } });
    expect(before.get(b.id)).toMatchObject({ rows: 1, valid: true, lastEvent: { event: "request.created", actor: "alice" } });

    // The owner of the database disables the append-only triggers and edits a row of request a.
    const row = await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: a.id, event: "request.approved" } });
    await asOwnerWithoutAuditTriggers(w.db, `UPDATE "AuditEvent" SET "actor" = 'mallory' WHERE "id" = ${row.id}`);
    const after = await requestAuditStatus(w.prisma, a.id);
    expect(after).toMatchObject({ valid: false, firstBadRow: { id: row.id.toString(), reason: expect.stringContaining("edited") } });
    expect((await requestAuditStatus(w.prisma, b.id)).valid).toBe(true);
  });

  it("a deleted row before a request's row breaks that row's link", async () => {
    const a = await createRequest(w.deps, alice, createInput("svc-audit-c", OTHER_PI_ROLE));
    const b = await createRequest(w.deps, alice, createInput("svc-audit-d", OTHER_PI_ROLE));
    const first = await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: a.id } });
    await asOwnerWithoutAuditTriggers(w.db, `DELETE FROM "AuditEvent" WHERE "id" = ${first.id}`);
    expect(await requestAuditStatus(w.prisma, b.id)).toMatchObject({ valid: false, firstBadRow: { reason: expect.stringContaining("deleted") } });
  });
});
