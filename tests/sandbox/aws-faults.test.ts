// Fault injection, call log, control endpoints, auth errors and state-file
// persistence of the AWS sandbox, observed through the real SDK clients.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreatePodIdentityAssociationCommand, DescribePodIdentityAssociationCommand, ListClustersCommand } from "@aws-sdk/client-eks";
import { GetRoleCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { isThrottlingError } from "@smithy/core/retry";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CallLog, type CallRecord } from "@/sandbox/context";
import type { RunningSandbox } from "@/sandbox/server";
import { PROD, REGION, clients, failure, startTestSandbox } from "../support/aws-world";

let sb: RunningSandbox;
let c: ReturnType<typeof clients>;
const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20261127/${REGION}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

async function putFaults(body: unknown): Promise<Response> {
  return fetch(`${sb.awsEndpoint}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}
async function calls(query = ""): Promise<CallRecord[]> {
  return (await fetch(`${sb.awsEndpoint}/_sandbox/calls${query}`)).json() as Promise<CallRecord[]>;
}

beforeAll(async () => {
  sb = await startTestSandbox();
  c = clients(sb.awsEndpoint);
});
afterAll(async () => sb?.close());
afterEach(async () => {
  await putFaults({});
  await fetch(`${sb.awsEndpoint}/_sandbox/calls`, { method: "DELETE" });
});

describe("fault injection", () => {
  it("adds latency globally and per operation", async () => {
    expect((await putFaults({ latencyMs: 20, latencyByOperation: { ListClusters: 250 } })).status).toBe(200);
    let t = Date.now();
    await c.eks.send(new ListClustersCommand({}));
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
    t = Date.now();
    await c.sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - t).toBeLessThan(240);
  });

  it("throttles EKS with 429 ThrottlingException and IAM with Throttling, both recognised by the SDK", async () => {
    await putFaults({ throttle: { ListClusters: { ratePerSecond: 0.001, burst: 1 }, ListRoles: { ratePerSecond: 0.001, burst: 1 } } });
    await c.eks.send(new ListClustersCommand({}));
    const eksErr = await failure(c.eks.send(new ListClustersCommand({})));
    expect(eksErr.name).toBe("ThrottlingException");
    expect(eksErr.$metadata.httpStatusCode).toBe(429);
    expect(isThrottlingError(eksErr as never)).toBe(true);

    await c.iam.send(new ListRolesCommand({}));
    const iamErr = await failure(c.iam.send(new ListRolesCommand({})));
    expect(iamErr.name).toBe("Throttling");
    expect(iamErr.message).toBe("Rate exceeded");
    expect(iamErr.$metadata.httpStatusCode).toBe(400);
    expect(isThrottlingError(iamErr as never)).toBe(true);

    const log = await calls("?service=eks&operation=ListClusters");
    expect(log.map((r) => [r.status, r.injected ?? null, r.errorCode ?? null])).toEqual([
      [200, null, null],
      [429, "throttle", "ThrottlingException"],
    ]);
  });

  it("throttles per cluster when the rule says operation+cluster", async () => {
    await putFaults({ throttle: { DescribePodIdentityAssociation: { ratePerSecond: 0.001, burst: 1, scope: "operation+cluster" } } });
    const describe = (cluster: string) => c.eks.send(new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId: "a-addonowned000001" }));
    await describe("c1");
    expect((await failure(describe("c2"))).name).toBe("ResourceNotFoundException");
    expect((await failure(describe("c1"))).name).toBe("ThrottlingException");
  });

  it("answers 5xx at the configured rate with each service's server error", async () => {
    await putFaults({ errorRate5xx: 1, errorOperations: ["ListClusters", "GetRole", "GetCallerIdentity"] });
    const e1 = await failure(c.eks.send(new ListClustersCommand({})));
    const e2 = await failure(c.eks.send(new ListClustersCommand({})));
    expect([e1.name, e2.name].sort()).toEqual(["ServerException", "ServiceUnavailableException"]);
    expect([e1.$metadata.httpStatusCode, e2.$metadata.httpStatusCode].sort()).toEqual([500, 503]);
    expect(e1.$fault).toBe("server"); // the SDK retries server faults (see failNext)
    const iamErr = await failure(c.iam.send(new GetRoleCommand({ RoleName: "app-role" })));
    expect(iamErr.name).toBe("ServiceFailureException");
    expect(iamErr.$metadata.httpStatusCode).toBe(500);
    const stsErr = await failure(c.sts.send(new GetCallerIdentityCommand({})));
    expect(stsErr.name).toBe("InternalFailure");
    // Operations outside the list are untouched.
    await c.iam.send(new ListRolesCommand({}));
  });

  it("failNext fails exactly N calls; the SDK's retries then succeed", async () => {
    await putFaults({ failNext: { GetRole: 2 } });
    const retrying = clients(sb.awsEndpoint, undefined, 3);
    const r = await retrying.iam.send(new GetRoleCommand({ RoleName: "app-role" }));
    expect(r.$metadata.attempts).toBe(3);
    const log = await calls("?operation=GetRole");
    expect(log.map((x) => x.status)).toEqual([500, 500, 200]);
    expect(log.every((x) => x.service === "iam" && x.accountId === PROD)).toBe(true);
    expect((await (await fetch(`${sb.awsEndpoint}/_sandbox/faults`)).json()).failNext).toEqual({ GetRole: 0 });
  });

  it("rejects invalid fault settings with 400", async () => {
    expect((await putFaults({ errorRate5xx: 2 })).status).toBe(400);
    expect((await putFaults({ latencyMs: "slow" })).status).toBe(400);
    expect((await putFaults({ bogus: 1 })).status).toBe(400);
    const res = await fetch(`${sb.awsEndpoint}/_sandbox/faults`, { method: "PUT", body: "{not json" });
    expect(res.status).toBe(400);
  });
});

describe("call log and control endpoints", () => {
  it("records every call with service, operation, account, region, cluster and status", async () => {
    const before = (await calls()).length;
    expect(before).toBe(0);
    await c.eks.send(new DescribePodIdentityAssociationCommand({ clusterName: "c1", associationId: "a-addonowned000001" }));
    await failure(c.eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "c1", namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", roleArn: `arn:aws:iam::${PROD}:role/app-role` })));
    const log = await calls();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ service: "eks", operation: "DescribePodIdentityAssociation", accountId: PROD, region: REGION, cluster: "c1", status: 200 });
    expect(log[1]).toMatchObject({ operation: "CreatePodIdentityAssociation", status: 409, errorCode: "ResourceInUseException" });
    expect(typeof log[0]!.durationMs).toBe("number");
    expect(await calls(`?sinceSeq=${log[0]!.seq}`)).toHaveLength(1);
    expect(await calls("?service=iam")).toHaveLength(0);
  });

  it("counts calls per operation and answer, throttles apart, until the log is cleared", async () => {
    await putFaults({ throttle: { ListClusters: { ratePerSecond: 0.001, burst: 1 } } });
    await c.eks.send(new ListClustersCommand({}));
    await failure(c.eks.send(new ListClustersCommand({})));
    await failure(c.eks.send(new DescribePodIdentityAssociationCommand({ clusterName: "c1", associationId: "a-nosuchassociation" })));
    const counts = await (await fetch(`${sb.awsEndpoint}/_sandbox/calls/counts`)).json();
    expect(counts).toEqual({ "eks DescribePodIdentityAssociation 404": 1, "eks ListClusters 200": 1, "eks ListClusters 429 throttle": 1 });
    await fetch(`${sb.awsEndpoint}/_sandbox/calls`, { method: "DELETE" });
    expect(await (await fetch(`${sb.awsEndpoint}/_sandbox/calls/counts`)).json()).toEqual({});
  });

  it("keeps the last calls up to its bound, and counts them all", () => {
    const log = new CallLog(100);
    for (let i = 0; i < 1_000; i++) log.add({ service: "eks", operation: "ListClusters", status: 200, durationMs: 1 });
    const kept = log.list();
    // Trimmed a tenth at a time: between the bound and 110% of it, always the newest.
    expect(kept.length).toBeGreaterThanOrEqual(100);
    expect(kept.length).toBeLessThanOrEqual(110);
    expect(kept.at(-1)!.seq).toBe(1_000);
    expect(kept.every((r, i) => i === 0 || r.seq === kept[i - 1]!.seq + 1)).toBe(true);
    expect(log.countsByAnswer()).toEqual({ "eks ListClusters 200": 1_000 });
  });

  it("health reports the accounts", async () => {
    const health = await (await fetch(`${sb.awsEndpoint}/_sandbox/health`)).json();
    expect(health.status).toBe("ok");
    expect(health.accounts.map((a: { accountId: string }) => a.accountId)).toEqual([PROD, "444455556666"]);
  });
});

describe("wire-level errors", () => {
  it("missing or malformed Authorization gets AWS's answer in the service's format", async () => {
    const eksNoAuth = await fetch(`${sb.awsEndpoint}/clusters`);
    expect(eksNoAuth.status).toBe(403);
    expect(eksNoAuth.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(eksNoAuth.headers.get("x-amzn-requestid")).toBeTruthy();
    expect((await eksNoAuth.json()).message).toBe("Missing Authentication Token");

    const iamNoAuth = await fetch(`${sb.awsEndpoint}/`, { method: "POST", body: "Action=ListRoles&Version=2010-05-08", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(iamNoAuth.status).toBe(403);
    const xml = await iamNoAuth.text();
    expect(xml).toContain("<Code>MissingAuthenticationToken</Code>");
    expect(xml).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);

    const broken = await fetch(`${sb.awsEndpoint}/clusters`, { headers: { authorization: "AWS4-HMAC-SHA256 SignedHeaders=host" } });
    expect(broken.status).toBe(400);
    expect(broken.headers.get("x-amzn-errortype")).toBe("IncompleteSignatureException");
  });

  it("unknown operations answer InvalidAction / UnknownOperationException, not a crash", async () => {
    const iam = await fetch(`${sb.awsEndpoint}/`, { method: "POST", body: "Action=ListUsersX&Version=2010-05-08", headers: { authorization: auth("iam"), "content-type": "application/x-www-form-urlencoded" } });
    expect(iam.status).toBe(400);
    expect(await iam.text()).toContain("<Code>InvalidAction</Code>");
    const sts = await fetch(`${sb.awsEndpoint}/`, { method: "POST", body: "Action=GetSessionToken&Version=2011-06-15", headers: { authorization: auth("sts"), "content-type": "application/x-www-form-urlencoded" } });
    expect(await sts.text()).toContain("https://sts.amazonaws.com/doc/2011-06-15/");
    const eks = await fetch(`${sb.awsEndpoint}/clusters/c1/updates`, { headers: { authorization: auth("eks") } });
    expect(eks.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    const bad = await fetch(`${sb.awsEndpoint}/clusters/c1/pod-identity-associations`, { method: "POST", body: "{oops", headers: { authorization: auth("eks") } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-amzn-errortype")).toBe("SerializationException");
    const log = await calls("?service=eks");
    expect(log.at(-1)).toMatchObject({ operation: "CreatePodIdentityAssociation", status: 400 });
  });
});

describe("state file", () => {
  it("persists mutations across a restart and reset restores the seed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rolegate-sandbox-"));
    const stateFile = path.join(dir, "world.json");
    const first = await startTestSandbox({ stateFile });
    const eks = clients(first.awsEndpoint).eks;
    const { association } = await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "c1", namespace: "ns", serviceAccount: "persisted", roleArn: `arn:aws:iam::${PROD}:role/app-role` }));
    await new Promise((r) => setTimeout(r, 400));
    expect(fs.existsSync(stateFile)).toBe(true); // written by the debounce, before close
    await first.close();
    expect(fs.readdirSync(dir)).toEqual(["world.json"]); // no tmp files left behind

    const second = await startTestSandbox({ stateFile });
    try {
      const eks2 = clients(second.awsEndpoint).eks;
      const d = await eks2.send(new DescribePodIdentityAssociationCommand({ clusterName: "c1", associationId: association!.associationId! }));
      expect(d.association?.serviceAccount).toBe("persisted");
      await fetch(`${second.awsEndpoint}/_sandbox/reset`, { method: "POST" });
      expect((await failure(eks2.send(new DescribePodIdentityAssociationCommand({ clusterName: "c1", associationId: association!.associationId! })))).name).toBe(
        "ResourceNotFoundException",
      );
    } finally {
      await second.close();
    }
    const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(Object.keys(saved.accounts[PROD].regions[REGION].clusters.c1.associations)).toEqual(["a-addonowned000001"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("kubeconfig has one context per cluster pointing at the kube port", async () => {
    const yaml = sb.kubeconfigFor("c2");
    expect(yaml).toContain(`server: "${sb.kubeEndpoint}/clusters/c1"`);
    expect(yaml).toContain(`server: "${sb.kubeEndpoint}/clusters/c2"`);
    expect(yaml).toContain(`current-context: "c2"`);
    expect(yaml).toContain(`token: "sandbox-token"`);
    expect(() => sb.kubeconfigFor("nope")).toThrow();
  });
});
