// The sandbox's SQS (AWS JSON protocol) and its CloudTrail feed, through the real
// @aws-sdk/client-sqs: long polling, visibility timeouts, receipt handles, the
// error shapes, and the events every served change emits (with the test faults).
import { CreatePodIdentityAssociationCommand, DeletePodIdentityAssociationCommand, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, GetRoleCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CloudTrailEvent } from "@/sandbox/aws/cloudtrail";
import type { RunningSandbox } from "@/sandbox/server";
import { PROD, REGION, clients, failure, podTrust, startTestSandbox } from "../support/aws-world";

let sb: RunningSandbox;
let c: ReturnType<typeof clients>;
let sqs: SQSClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  c = clients(sb.awsEndpoint);
  sqs = new SQSClient({ endpoint: sb.awsEndpoint, region: REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
});
afterAll(async () => {
  sqs?.destroy();
  await sb?.close();
});
afterEach(async () => {
  await fetch(`${sb.awsEndpoint}/_sandbox/reset`, { method: "POST" });
});

async function drain(url: string): Promise<{ body: string; handle: string }[]> {
  const out: { body: string; handle: string }[] = [];
  for (;;) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) out.push({ body: m.Body!, handle: m.ReceiptHandle! });
  }
}

const events = async (): Promise<CloudTrailEvent[]> => (await drain(sb.eventsQueueUrl)).map((m) => JSON.parse(m.body) as CloudTrailEvent);

describe("SQS over the AWS JSON protocol", () => {
  it("creates, finds, sends and receives; a received message is invisible until deleted or its timeout passes", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "work", Attributes: { VisibilityTimeout: "1" } }));
    expect(QueueUrl).toBe(`${sb.awsEndpoint}/${PROD}/work`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: "work" }))).QueueUrl).toBe(QueueUrl);
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(["hello"]);
    expect(first.Messages![0]!.Attributes?.ApproximateReceiveCount).toBe("1");
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? []).toEqual([]);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    expect(attrs.Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" });
    // The visibility timeout (1 s) runs out: delivered again, with a new handle; the old handle no longer deletes it.
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 3, MessageSystemAttributeNames: ["All"] }));
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(again.Messages![0]!.ReceiptHandle).not.toBe(first.Messages![0]!.ReceiptHandle);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle }));
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }));
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(third.Messages?.map((m) => m.Body)).toEqual(["hello"]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third.Messages![0]!.ReceiptHandle }));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? []).toEqual([]);
  });

  it("long polls: an empty queue answers after WaitTimeSeconds, a message sent meanwhile ends the wait at once", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "poll" }));
    let t = Date.now();
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages ?? []).toEqual([]);
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);
    t = Date.now();
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
    setTimeout(() => void sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "late" })), 200);
    expect((await waiting).Messages?.map((m) => m.Body)).toEqual(["late"]);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("answers with SQS's errors: unknown queue, invalid receipt handle, out-of-range parameters, a message not in flight", async () => {
    const missing = await failure(sqs.send(new ReceiveMessageCommand({ QueueUrl: `${sb.awsEndpoint}/${PROD}/nope` })));
    expect(missing.name).toBe("QueueDoesNotExist");
    expect((missing as unknown as { Code: string }).Code).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect(missing.$metadata.httpStatusCode).toBe(400);
    const bad = await failure(sqs.send(new DeleteMessageCommand({ QueueUrl: sb.eventsQueueUrl, ReceiptHandle: "garbage" })));
    expect(bad.name).toBe("ReceiptHandleIsInvalid");
    const range = await failure(sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.eventsQueueUrl, MaxNumberOfMessages: 11 })));
    expect((range as unknown as { Code: string }).Code).toBe("InvalidParameterValue");
    expect(range.message).toContain("MaxNumberOfMessages");
    const wait = await failure(sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.eventsQueueUrl, WaitTimeSeconds: 21 })));
    expect((wait as unknown as { Code: string }).Code).toBe("InvalidParameterValue");
    await sqs.send(new SendMessageCommand({ QueueUrl: sb.eventsQueueUrl, MessageBody: "x" }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.eventsQueueUrl, VisibilityTimeout: 0 }));
    const notInFlight = await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: sb.eventsQueueUrl, ReceiptHandle: got.Messages![0]!.ReceiptHandle, VisibilityTimeout: 5 })));
    expect(notInFlight.name).toBe("MessageNotInflight");
  });
});

describe("CloudTrail events through EventBridge into the events queue", () => {
  it("emits an association's create, update and delete as CloudTrail delivers them, whoever calls", async () => {
    const created = await c.eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "c1", namespace: "ns", serviceAccount: "sa", roleArn: `arn:aws:iam::${PROD}:role/app-role` }));
    const id = created.association!.associationId!;
    await c.eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: "c1", associationId: id, roleArn: `arn:aws:iam::${PROD}:role/other-role` }));
    await c.eks.send(new DeletePodIdentityAssociationCommand({ clusterName: "c1", associationId: id }));
    // A failed call emits nothing (CloudTrail records it with an errorCode; the rule's pattern leaves those out here).
    await failure(c.eks.send(new DeletePodIdentityAssociationCommand({ clusterName: "c1", associationId: id })));
    const got = await events();
    expect(got.map((e) => e.detail.eventName)).toEqual(["CreatePodIdentityAssociation", "UpdatePodIdentityAssociation", "DeletePodIdentityAssociation"]);
    const e = got[0]!;
    expect(e).toMatchObject({
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.eks",
      account: PROD,
      region: REGION,
      detail: {
        eventSource: "eks.amazonaws.com",
        awsRegion: REGION,
        recipientAccountId: PROD,
        eventType: "AwsApiCall",
        managementEvent: true,
        readOnly: false,
        requestParameters: { clusterName: "c1", namespace: "ns", serviceAccount: "sa", roleArn: `arn:aws:iam::${PROD}:role/app-role` },
        responseElements: { association: { associationId: id, clusterName: "c1", roleArn: `arn:aws:iam::${PROD}:role/app-role` } },
        userIdentity: { type: "IAMUser", accountId: PROD },
      },
    });
    expect(e.detail.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(e.detail.eventID).not.toBe(got[1]!.detail.eventID);
    expect(got[1]!.detail.requestParameters).toMatchObject({ clusterName: "c1", associationId: id, roleArn: `arn:aws:iam::${PROD}:role/other-role` });
  });

  it("emits IAM role, trust and OIDC provider changes (global service: us-east-1), reads emit nothing", async () => {
    await c.iam.send(new CreateRoleCommand({ RoleName: "fresh", AssumeRolePolicyDocument: podTrust }));
    await c.iam.send(new GetRoleCommand({ RoleName: "fresh" }));
    await c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "fresh", PolicyDocument: podTrust }));
    await c.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc.eks.us-east-1.amazonaws.com/id/NEW1", ClientIDList: ["sts.amazonaws.com"], ThumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"] }));
    const got = await events();
    expect(got.map((e) => [e.source, e.detail.eventName])).toEqual([["aws.iam", "CreateRole"], ["aws.iam", "UpdateAssumeRolePolicy"], ["aws.iam", "CreateOpenIDConnectProvider"]]);
    expect(got[0]!.detail).toMatchObject({ awsRegion: "us-east-1", eventSource: "iam.amazonaws.com", requestParameters: { roleName: "fresh", assumeRolePolicyDocument: podTrust }, responseElements: { role: { roleName: "fresh", arn: `arn:aws:iam::${PROD}:role/fresh` } } });
    expect(got[1]!.detail).toMatchObject({ requestParameters: { roleName: "fresh", policyDocument: podTrust }, responseElements: null });
    expect(got[2]!.detail).toMatchObject({ requestParameters: { url: "https://oidc.eks.us-east-1.amazonaws.com/id/NEW1", clientIDList: ["sts.amazonaws.com"] }, responseElements: { openIDConnectProviderArn: `arn:aws:iam::${PROD}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/NEW1` } });
  });

  it("drops, duplicates and reverses the next events on request (PUT /_sandbox/events)", async () => {
    const put = (body: unknown) => fetch(`${sb.awsEndpoint}/_sandbox/events`, { method: "PUT", body: JSON.stringify(body) });
    expect((await put({ drop: -1 })).status).toBe(400);
    expect((await put({ shuffle: 1 })).status).toBe(400);
    const create = (sa: string) => c.eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "c1", namespace: "ns", serviceAccount: sa, roleArn: `arn:aws:iam::${PROD}:role/app-role` }));
    const names = async () => (await events()).map((e) => (e.detail.requestParameters as { serviceAccount: string }).serviceAccount);
    expect((await put({ drop: 1 })).status).toBe(200);
    await create("lost");
    await create("kept");
    expect(await names()).toEqual(["kept"]);
    await put({ duplicate: 1 });
    await create("twice");
    await create("once");
    const twice = await events();
    expect(twice.map((e) => (e.detail.requestParameters as { serviceAccount: string }).serviceAccount)).toEqual(["twice", "twice", "once"]);
    expect(twice[0]!.detail.eventID).toBe(twice[1]!.detail.eventID);
    await put({ reverse: 3 });
    await create("r1");
    await create("r2");
    expect(await names()).toEqual([]);
    await create("r3");
    expect(await names()).toEqual(["r3", "r2", "r1"]);
    const status = (await (await fetch(`${sb.awsEndpoint}/_sandbox/events`)).json()) as { emitted: number; dropped: number; duplicated: number; queueUrl: string };
    expect(status).toMatchObject({ emitted: 7, dropped: 1, duplicated: 1, queueUrl: sb.eventsQueueUrl });
  });
});
