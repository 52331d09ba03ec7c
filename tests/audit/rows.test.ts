// /audit rows: each links to its request, names the AWS call an applied item
// made, expands to every field, and the apply row of a request answers "who
// approved SA X, when, and what call was made" on its own.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { auditQuerySchema, listAudit } from "@/lib/audit/query";
import { approvalsOf, awsCallOf } from "@/lib/audit/row-context";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { AuditTable } from "@/app/audit/audit-table";
import { createInput, runner } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
const { alice, ivy } = w.users;

describe("/audit rows", () => {
  it("the item's apply row names the approver, when, the AWS call and its request id, and links to the request", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-audit-row"));
    await approveRequest(w.deps, ivy, { id: r.id });
    await runner(w).drain();
    const createCall = w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" }).find((c) => c.status === 200)!;

    const query = auditQuerySchema.parse({ serviceAccount: "svc-audit-row", event: "request.item_applied" });
    const { rows } = await listAudit(w.prisma, query);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(awsCallOf(row)).toEqual({ operation: "eks:CreatePodIdentityAssociation", outcome: "created", awsRequestId: row.awsRequestId });
    expect(row.awsRequestId).toBeTruthy();
    expect(createCall).toMatchObject({ cluster: "domino-green", status: 200 });

    const approvals = await approvalsOf(w.prisma, rows);
    const approvedAt = (await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: r.id, event: "request.approved" } })).at.toISOString();
    expect(approvals.get(r.id)).toEqual([{ actor: "ivy", at: approvedAt, event: "request.approved" }]);

    const html = renderToStaticMarkup(createElement(AuditTable, { rows, query, approvals }));
    const tr = html.split('data-testid="audit-row"')[1]!;
    expect(tr).toContain(`href="/requests/${r.id}"`);
    expect(tr).toMatch(/data-testid="audit-approved-by">approved by <span>ivy <time dateTime="[^"]+"/);
    expect(tr).toContain(approvedAt);
    expect(tr).toContain("eks:CreatePodIdentityAssociation");
    expect(tr).toContain(`request id ${row.awsRequestId}`);
    expect(tr).toContain("<details");
    expect(tr).toContain("<summary");
    expect(tr).toContain(row.hash);
  }, 60_000);

  it("an item that never reached AWS says so; other events make no call; adopt writes nothing", () => {
    const base = { awsRequestId: null };
    expect(awsCallOf({ ...base, event: "request.item_failed", details: { kind: "create", attempts: 0 } })?.operation).toBe("eks:CreatePodIdentityAssociation: not sent");
    expect(awsCallOf({ ...base, event: "request.item_applied", details: { kind: "adopt", outcome: "adopted" } })?.operation).toMatch(/no AWS write/);
    expect(awsCallOf({ ...base, event: "request.item_applied", details: { kind: "iam-trust-update", outcome: "iam-updated" } })?.operation).toBe("iam:UpdateAssumeRolePolicy");
    expect(awsCallOf({ ...base, event: "request.approved", details: { kind: "create" } })).toBeNull();
    expect(awsCallOf({ ...base, event: "request.item_applied", details: null })).toBeNull();
  });

  it("a reader scoped to their own requests sees no approval of another's request", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-audit-scope"));
    await approveRequest(w.deps, ivy, { id: r.id });
    const all = await approvalsOf(w.prisma, [{ requestId: r.id }]);
    expect(all.get(r.id)?.map((a) => a.actor)).toEqual(["ivy"]);
    const none = await approvalsOf(w.prisma, [{ requestId: r.id }], { actor: "nobody" });
    expect(none.get(r.id)).toBeUndefined();
  });
});
