// Lost-update guard for iam-trust-update items: the hash of the trust IAM had at
// filing is stored on the item; a trust changed out of band before apply fails the
// item with a clear reason and is left intact.
import { GetRoleCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { trustHash } from "@/lib/requests/trust-guard";
import { createInput, runner } from "../support/requests";
import { LOC } from "../support/constants";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
const { alice, ivy } = w.users;
const ROLE_NAME = "domino-pi-snowflake-export";
const ROLE = `arn:aws:iam::111122223333:role/domino/${ROLE_NAME}`;

const trustNow = async () => decodeURIComponent((await w.pool.iamFor(LOC).send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!.AssumeRolePolicyDocument!);
const trustWrites = () => w.sandbox.ctx.calls.list({ operation: "UpdateAssumeRolePolicy" }).filter((c) => c.status === 200);

async function fileTrustUpdate(sa: string) {
  const r = await createRequest(w.deps, alice, { ...createInput(sa, ROLE), includeIamFixes: true });
  const item = (await w.prisma.requestItem.findMany({ where: { requestId: r.id } })).find((i) => i.kind === "iam-trust-update")!;
  return { id: r.id, item };
}

describe("iam-trust-update lost-update guard", () => {
  it("stores the hash of the trust the new document was computed from", async () => {
    const before = await trustNow();
    const { item } = await fileTrustUpdate("svc-trust-hash");
    expect(item.iamBaseHash).toBe(trustHash(before));
  });

  it("trust changed out of band after filing: the item fails with the reason and the out-of-band trust is intact", async () => {
    const { id, item } = await fileTrustUpdate("svc-trust-race");
    const before = JSON.parse(await trustNow()) as { Version: string; Statement: unknown[] };
    const outOfBand = { ...before, Statement: [...before.Statement, { Sid: "EditedByHand", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    await w.pool.iamFor(LOC).send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE_NAME, PolicyDocument: JSON.stringify(outOfBand) }));
    expect(trustWrites()).toHaveLength(1);

    await approveRequest(w.deps, ivy, { id });
    await runner(w).drain();
    const failed = await w.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(failed.status).toBe("failed");
    expect(failed.lastErrorCode).toBe("TrustPolicyChanged");
    expect(failed.lastErrorMessage).toBe(`the trust policy of ${ROLE} changed since this request was filed; file it again`);
    expect(trustWrites()).toHaveLength(1); // only the out-of-band write
    expect(JSON.parse(await trustNow())).toEqual(outOfBand);
    expect(await w.prisma.requestItem.count({ where: { requestId: id, kind: "create", status: "applied" } })).toBe(0);
  }, 60_000);

  it("trust unchanged since filing: the new document is written", async () => {
    const { id, item } = await fileTrustUpdate("svc-trust-ok");
    await approveRequest(w.deps, ivy, { id });
    await runner(w).drain();
    expect((await w.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("applied");
    expect(trustWrites()).toHaveLength(1);
    expect(JSON.parse(await trustNow())).toEqual(JSON.parse(item.iamPolicyDocument!));
  }, 60_000);
});
