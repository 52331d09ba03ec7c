// Lost-update guard for iam-trust-update items: the hash of the trust IAM had at
// filing is stored on the item; a trust changed out of band before apply fails the
// item with a clear reason and is left intact.
import { GetRoleCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AwsClientPool } from "@/lib/aws";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import type { Actor } from "@/lib/requests/deps";
import { trustHash } from "@/lib/requests/trust-guard";
import { createInput, makeUser, openWorld, runner, type World } from "./fixtures";

let w: World;
let pool: AwsClientPool;
let alice: Actor, ivy: Actor;
const LOC = { accountId: "111122223333", region: "us-east-1" };
const ROLE_NAME = "domino-pi-snowflake-export";
const ROLE = `arn:aws:iam::111122223333:role/domino/${ROLE_NAME}`;

beforeAll(async () => {
  w = await openWorld();
  pool = new AwsClientPool({ endpoint: w.sandbox.awsEndpoint, maxAttempts: 2 });
});
afterAll(async () => {
  pool.destroy();
  await w.close();
});
beforeEach(async () => {
  await w.t.reset();
  await fetch(`${w.sandbox.awsEndpoint}/_sandbox/reset`, { method: "POST" });
  w.sandbox.ctx.calls.clear();
  alice = await makeUser(w, "alice", "requester");
  ivy = await makeUser(w, "ivy", "approver");
});

const trustNow = async () => decodeURIComponent((await pool.iamFor(LOC).send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!.AssumeRolePolicyDocument!);
const trustWrites = () => w.sandbox.ctx.calls.list({ operation: "UpdateAssumeRolePolicy" }).filter((c) => c.status === 200);

async function fileTrustUpdate(sa: string) {
  const r = await createRequest(w.deps, alice, { ...createInput(sa, ROLE), includeIamFixes: true });
  const item = (await w.t.prisma.requestItem.findMany({ where: { requestId: r.id } })).find((i) => i.kind === "iam-trust-update")!;
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
    await pool.iamFor(LOC).send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE_NAME, PolicyDocument: JSON.stringify(outOfBand) }));
    expect(trustWrites()).toHaveLength(1);

    await approveRequest(w.deps, ivy, { id });
    await runner(w).drain();
    const failed = await w.t.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(failed.status).toBe("failed");
    expect(failed.lastErrorCode).toBe("TrustPolicyChanged");
    expect(failed.lastErrorMessage).toBe(`the trust policy of ${ROLE} changed since this request was filed; file it again`);
    expect(trustWrites()).toHaveLength(1); // only the out-of-band write
    expect(JSON.parse(await trustNow())).toEqual(outOfBand);
    expect(await w.t.prisma.requestItem.count({ where: { requestId: id, kind: "create", status: "applied" } })).toBe(0);
  }, 60_000);

  it("trust unchanged since filing: the new document is written", async () => {
    const { id, item } = await fileTrustUpdate("svc-trust-ok");
    await approveRequest(w.deps, ivy, { id });
    await runner(w).drain();
    expect((await w.t.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("applied");
    expect(trustWrites()).toHaveLength(1);
    expect(JSON.parse(await trustNow())).toEqual(JSON.parse(item.iamPolicyDocument!));
  }, 60_000);
});
