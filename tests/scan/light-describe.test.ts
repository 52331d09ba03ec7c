// The scanner's DescribePodIdentityAssociation without the SDK's middleware stack
// (lib/aws/light-get.ts): the same association as `client.send` gives, signed with
// the pool's credentials and user agent, and every answer but a 200 handed back
// to the SDK's path, which reports the error and retries as before.
import { CreatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AwsCallError, AwsClientPool, EksGateway, isThrottlingError, observeThrottling, type ThrottleEvent } from "@/lib/aws/index";
import { SCAN_CLIENT_SETTINGS } from "@/lib/inventory/scan/context";
import type { CallRecord } from "@/sandbox/context";
import type { RunningSandbox } from "@/sandbox/server";
import { LAKE, PROD, REGION, clients, startTestSandbox } from "../support/aws-world";

let sb: RunningSandbox;
let pool: AwsClientPool;
const location = { accountId: PROD, region: REGION };

async function putFaults(body: unknown): Promise<void> {
  await fetch(`${sb.awsEndpoint}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}
async function describeCalls(): Promise<CallRecord[]> {
  const all = (await (await fetch(`${sb.awsEndpoint}/_sandbox/calls`)).json()) as CallRecord[];
  return all.filter((c) => c.operation === "DescribePodIdentityAssociation");
}

beforeAll(async () => {
  sb = await startTestSandbox();
  pool = new AwsClientPool({ endpoint: sb.awsEndpoint, retryMode: "standard", maxAttempts: 1 });
  const eks = clients(sb.awsEndpoint).eks;
  // Every optional field EKS returns: tags, a session policy, a cross-account target role.
  await eks.send(
    new CreatePodIdentityAssociationCommand({
      clusterName: "c1",
      namespace: "domino-compute",
      serviceAccount: "run-1",
      roleArn: `arn:aws:iam::${PROD}:role/app-role`,
      tags: { team: "data", "cost-centre": "42" },
      disableSessionTags: true,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }),
    }),
  );
  await eks.send(
    new CreatePodIdentityAssociationCommand({
      clusterName: "c1",
      namespace: "domino-compute",
      serviceAccount: "run-2",
      roleArn: `arn:aws:iam::${PROD}:role/other-role`,
      targetRoleArn: `arn:aws:iam::${LAKE}:role/lake-target`,
    }),
  );
});
afterAll(async () => {
  pool?.destroy();
  await sb?.close();
});
afterEach(async () => {
  await putFaults({});
  await fetch(`${sb.awsEndpoint}/_sandbox/calls`, { method: "DELETE" });
});

describe("light DescribePodIdentityAssociation", () => {
  it("gives every association exactly as the SDK's path does, in one signed call each", async () => {
    const light = new EksGateway(pool);
    const sdk = new EksGateway(pool, { lightDescribe: false });
    const summaries = await sdk.listAssociations(location, "c1");
    expect(summaries.length).toBe(3);
    await fetch(`${sb.awsEndpoint}/_sandbox/calls`, { method: "DELETE" });
    for (const s of summaries) {
      const viaLight = await light.describeAssociation(location, "c1", s.associationId);
      expect(viaLight).toEqual(await sdk.describeAssociation(location, "c1", s.associationId));
    }
    const withExtras = await light.describeAssociation(location, "c1", summaries.find((s) => s.serviceAccount === "run-1")!.associationId);
    expect(withExtras.tags).toEqual({ team: "data", "cost-centre": "42" });
    expect(withExtras.disableSessionTags).toBe(true);
    expect(withExtras.policy).toContain("s3:GetObject");
    expect(withExtras.createdAt).toBeInstanceOf(Date);
    expect(withExtras.createdAt.getTime()).toBeGreaterThan(Date.UTC(2020, 0, 1));
    const crossAccount = await light.describeAssociation(location, "c1", summaries.find((s) => s.serviceAccount === "run-2")!.associationId);
    expect(crossAccount.targetRoleArn).toBe(`arn:aws:iam::${LAKE}:role/lake-target`);
    expect(crossAccount.externalId).toBeTruthy();

    // The sandbox checked each call's SigV4 scope; each light call is one call, with RoleGate's user agent.
    const calls = await describeCalls();
    expect(calls.length).toBe(2 * summaries.length + 2);
    expect(calls.every((c) => c.status === 200 && c.accountId === PROD && c.userAgent?.includes("rolegate"))).toBe(true);
  });

  it("a scan's pool has a socket for each of 80 Describes at once on one account (the SDK's default is 50)", async () => {
    const [first] = await new EksGateway(pool).listAssociations(location, "c1");
    await putFaults({ latencyByOperation: { DescribePodIdentityAssociation: 1_500 } });
    /** The most calls the sandbox served at once, from its log (each call's end and duration). */
    const mostAtOnce = async (p: AwsClientPool) => {
      await fetch(`${sb.awsEndpoint}/_sandbox/calls`, { method: "DELETE" });
      const eks = new EksGateway(p);
      await Promise.all(Array.from({ length: 80 }, () => eks.describeAssociation(location, "c1", first!.associationId)));
      const spans = (await describeCalls()).map((c) => ({ end: Date.parse(c.time), start: Date.parse(c.time) - c.durationMs }));
      return Math.max(...spans.map((a) => spans.filter((b) => b.start <= a.start && a.start < b.end).length));
    };
    const scanPool = new AwsClientPool({ endpoint: sb.awsEndpoint }).withSettings(SCAN_CLIENT_SETTINGS);
    const sdkDefault = new AwsClientPool({ endpoint: sb.awsEndpoint, retryMode: "standard" });
    try {
      expect(await mostAtOnce(scanPool)).toBe(80);
      expect(await mostAtOnce(sdkDefault)).toBeLessThanOrEqual(50);
    } finally {
      scanPool.destroy();
      sdkDefault.destroy();
    }
  }, 30_000);

  it("hands a missing association to the SDK's path, which reports it as before", async () => {
    const err = await new EksGateway(pool).describeAssociation(location, "c1", "a-doesnotexist0001").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect((err as AwsCallError).code).toBe("ResourceNotFoundException");
    expect((err as AwsCallError).operation).toBe("DescribePodIdentityAssociation");
    // The light attempt, then the SDK's.
    expect((await describeCalls()).map((c) => c.status)).toEqual([404, 404]);
  });

  it("reports a throttled light call to the pool's throttle listeners before the SDK's path tries", async () => {
    const [first] = await new EksGateway(pool, { lightDescribe: false }).listAssociations(location, "c1");
    const events: ThrottleEvent[] = [];
    const off = observeThrottling(pool, location, (e) => events.push(e));
    try {
      await putFaults({ throttle: { DescribePodIdentityAssociation: { ratePerSecond: 0.001, burst: 0 } } });
      const err = await new EksGateway(pool).describeAssociation(location, "c1", first!.associationId).catch((e: unknown) => e);
      expect((err as AwsCallError).code).toBe("ThrottlingException");
      // One event from the light call, one from the SDK's single attempt (this pool does not retry).
      expect(events).toEqual([
        { service: "eks", operation: "DescribePodIdentityAssociation", clusterName: "c1" },
        { service: "eks", operation: "DescribePodIdentityAssociation", clusterName: "c1" },
      ]);
    } finally {
      off();
    }
  });

  it("paced (the scanner), a throttled light call is thrown at once: one call, no SDK attempt, a throttling error", async () => {
    const [first] = await new EksGateway(pool, { lightDescribe: false }).listAssociations(location, "c1");
    const events: ThrottleEvent[] = [];
    const off = observeThrottling(pool, location, (e) => events.push(e));
    try {
      await putFaults({ throttle: { DescribePodIdentityAssociation: { ratePerSecond: 0.001, burst: 0 } } });
      const before = (await describeCalls()).length;
      const err = await new EksGateway(pool).describeAssociation(location, "c1", first!.associationId, { paced: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AwsCallError);
      expect(isThrottlingError(err)).toBe(true);
      expect((err as AwsCallError).code).toBe("ThrottlingException");
      expect((await describeCalls()).slice(before).map((c) => [c.operation, c.injected])).toEqual([["DescribePodIdentityAssociation", "throttle"]]);
      expect(events).toEqual([{ service: "eks", operation: "DescribePodIdentityAssociation", clusterName: "c1" }]);
    } finally {
      off();
    }
  });

  it("signs with the location's credentials: an assumed role's calls are that account's", async () => {
    const [first] = await new EksGateway(pool, { lightDescribe: false }).listAssociations(location, "c1");
    await fetch(`${sb.awsEndpoint}/_sandbox/calls`, { method: "DELETE" });
    // The lake account has no cluster c1: both paths are answered as that account, not the pool's own.
    const lake = { accountId: LAKE, region: REGION, assumeRoleArn: `arn:aws:iam::${LAKE}:role/rolegate-reader` };
    const err = await new EksGateway(pool).describeAssociation(lake, "c1", first!.associationId).catch((e: unknown) => e);
    expect((err as AwsCallError).code).toBe("ResourceNotFoundException");
    const calls = await describeCalls();
    expect(calls.map((c) => [c.accountId, c.status])).toEqual([
      [LAKE, 404],
      [LAKE, 404],
    ]);
  });
});
