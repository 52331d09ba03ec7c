// Cross-account in one flow (issue 13): a create with a target role in the data-lake
// account; once the association exists RoleGate reads its external id and files the
// target role's trust update as a follow-up request the IAM team approves; after it
// applies, the target trust allows the source role with that id and the precheck passes.
import { describe, expect, it } from "vitest";
import { createRequest } from "@/lib/requests/create-request";
import { approveRequest } from "@/lib/requests/approve-request";
import { refreshPrechecks } from "@/lib/requests/refresh-prechecks";
import { createRequestRunner } from "@/lib/workers/request-handlers";
import { PROD, TARGETS } from "../support/constants";
import { createInput, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
const LAKE = "444455556666";
const SOURCE = `arn:aws:iam::${PROD}:role/domino/domino-pi-cross-source-lake`;
const TARGET = `arn:aws:iam::${LAKE}:role/datalake-domino-read`;
// The data-lake account is watched too, read and written through the role RoleGate assumes there (as in sandbox mode).
const deps = () => ({ ...w.deps, targets: [...TARGETS, { accountId: LAKE, region: "us-east-1", clusters: ["*"], assumeRoleArn: `arn:aws:iam::${LAKE}:role/rolegate-reader` }] });
const runner = () => createRequestRunner({ ...deps(), backoff: { tries: 4, baseMs: 1 } }, { log: () => {} }, async () => true);
const targetTrust = () => JSON.parse(w.sandbox.ctx.world.accounts[LAKE]!.roles["datalake-domino-read"]!.assumeRolePolicyDocument) as { Statement: { Principal?: { AWS?: unknown }; Action?: unknown; Condition?: { StringEquals?: Record<string, unknown> } }[] };
const targetCheck = async (id: string) => (await refreshPrechecks(deps(), id)).prechecks.find((p) => p.id === "target-role-trusts-source");

describe("cross-account in one flow", () => {
  it("files the target trust update with the association's external id after the create, gated by the IAM team, and the precheck turns green", async () => {
    const { alice, ivy } = w.users;
    const r = await createRequest(deps(), alice, { ...createInput("svc-lake-analyst", SOURCE), accountId: PROD, region: "us-east-1", targetRoleArn: TARGET });
    expect(r.prechecks.find((p) => p.id === "target-role-trusts-source"), JSON.stringify(r.prechecks)).toMatchObject({ status: "warn" });
    await approveRequest(deps(), ivy, { id: r.id });
    await runner().drain();
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("applied");

    const [association] = sandboxAssociations(w, "domino-green", "domino-compute", "svc-lake-analyst");
    const externalId = association!.externalId!;
    expect(externalId).toMatch(/^[0-9a-f-]{36}$/);
    // Not trusted yet: the follow-up waits for approval; nothing was written to IAM.
    expect(JSON.stringify(targetTrust())).not.toContain(externalId);
    expect((await targetCheck(r.id))?.status).toBe("warn");

    const followUps = await w.prisma.request.findMany({ where: { justification: { contains: `follow-up of request ${r.id}` } }, include: { items: true } });
    expect(followUps).toHaveLength(1);
    const f = followUps[0]!;
    expect(f.status).toBe("pending");
    expect(f.requesterId).toBe(alice.id);
    expect(f.items).toEqual([expect.objectContaining({ kind: "iam-trust-update", roleArn: TARGET })]);
    const created = await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: f.id, event: "request.created" } });
    expect(created.details).toMatchObject({ followUpOf: r.id, crossAccount: { sourceRoleArn: SOURCE, targetRoleArn: TARGET, externalId } });
    // A second run of the apply job files nothing twice.
    await runner().drain();
    expect(await w.prisma.request.count({ where: { justification: { contains: `follow-up of request ${r.id}` } } })).toBe(1);

    // The requester cannot approve her own follow-up; the IAM team can.
    await expect(approveRequest(deps(), alice, { id: f.id })).rejects.toThrow();
    await approveRequest(deps(), ivy, { id: f.id });
    await runner().drain();
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: f.id } })).status).toBe("applied");

    const chain = targetTrust().Statement.find((s) => JSON.stringify(s.Condition?.StringEquals?.["sts:ExternalId"] ?? "").includes(externalId));
    expect(chain).toMatchObject({ Principal: { AWS: SOURCE }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition: { StringEquals: { "sts:ExternalId": externalId } } });
    // Statements that were there stay (the seed's own chains of Blue and Green).
    expect(targetTrust().Statement.length).toBeGreaterThan(1);
    const check = await targetCheck(r.id);
    expect(check).toMatchObject({ status: "pass" });
    expect(check!.message).toContain(externalId);
  });

  it("files nothing for a create without a target role", async () => {
    const { alice, ivy } = w.users;
    const r = await createRequest(deps(), alice, { ...createInput("svc-no-chain"), accountId: PROD, region: "us-east-1" });
    await approveRequest(deps(), ivy, { id: r.id });
    await runner().drain();
    expect(await w.prisma.request.count()).toBe(1);
  });
});
