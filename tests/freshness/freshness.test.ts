// Freshness: CloudTrail events through EventBridge and SQS (the sandbox's queue,
// read with @aws-sdk/client-sqs) bring changes made outside RoleGate into the
// cache and /drift within seconds, with a webhook notice; duplicated, reordered
// and lost events never corrupt the cache, and the next refresh reconciles.
import { readFileSync } from "node:fs";
import path from "node:path";
import { CreatePodIdentityAssociationCommand, DeletePodIdentityAssociationCommand, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { EksGateway, EventsQueueGateway, IamGateway } from "@/lib/aws";
import { computeDrift, driftKey } from "@/lib/drift/compute";
import { ChangeEventsConsumer, parseChangeEvent, type HandledMessage } from "@/lib/freshness";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { loadConfig } from "@/lib/config/load";
import { ConfigError } from "@/lib/config/schema";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { EMITTED_OPERATIONS } from "@/sandbox/aws/cloudtrail";
import { clients } from "../support/aws-world";
import { LOC, OTHER_PI_ROLE, PI_ROLE, PROD, REGION, TARGETS } from "../support/constants";
import { createInput, runner } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, mappings: true });
const { alice, ivy } = w.users;
const CLUSTER = "domino-green";
const NS = "domino-compute";
const key = (sa: string) => driftKey({ ...LOC, cluster: CLUSTER, namespace: NS, serviceAccount: sa });

let consumer: ChangeEventsConsumer | undefined;
const handled: HandledMessage[] = [];
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
  handled.length = 0;
});

/** The consumer as the app wires it, over the world's pool and the sandbox's events queue. */
function makeConsumer(maxReceives = 8) {
  const deps = { prisma: w.prisma, eks: new EksGateway(w.pool), iam: new IamGateway(w.pool), targets: TARGETS, kinds: w.deps.kinds };
  return new ChangeEventsConsumer(deps, new EventsQueueGateway(w.pool, w.sandbox.eventsQueueUrl), { waitSeconds: 1, maxReceives, log: () => {}, onHandled: (h) => handled.push(h) });
}
/** Someone else's SDK (no "rolegate" user agent): the console, a script, Terraform. */
const outside = () => clients(w.sandbox.awsEndpoint);
const createOutside = (sa: string, roleArn = PI_ROLE) => outside().eks.send(new CreatePodIdentityAssociationCommand({ clusterName: CLUSTER, namespace: NS, serviceAccount: sa, roleArn }));
const setEventFaults = (body: unknown) => fetch(`${w.sandbox.awsEndpoint}/_sandbox/events`, { method: "PUT", body: JSON.stringify(body) });

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 8000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** Polls the queue by hand until it is empty (what a running consumer would have done). */
async function drain(c: ChangeEventsConsumer) {
  while ((await c.pollOnce(0)).length > 0);
}
async function cachedRows() {
  const rows = await w.prisma.podIdentityAssociation.findMany({ orderBy: [{ namespace: "asc" }, { serviceAccount: "asc" }, { associationId: "asc" }] });
  return rows.map((r) => ({ cluster: r.clusterId, id: r.associationId, ns: r.namespace, sa: r.serviceAccount, role: r.roleArn, target: r.targetRoleArn, tags: r.disableSessionTags, modified: r.awsModifiedAt.toISOString() }));
}
async function refresh() {
  await (await startMappingRefresh({ prisma: w.prisma, eks: new EksGateway(w.pool), targets: TARGETS }, "test")).done;
}
/** The change notices queued for the webhook (the request workflow's own notices left out). */
const notices = async () =>
  (await w.prisma.job.findMany({ where: { queue: "notify" }, orderBy: { id: "asc" } }))
    .map((j) => j.payload as { event: string; text: string; path?: string })
    .filter((n) => /^(drift|role|oidc)\./.test(n.event));

describe("change events", () => {
  it("an association created out of band shows as drift within 5 s, with a webhook notice linking /drift", async () => {
    consumer = makeConsumer();
    consumer.start();
    const t0 = Date.now();
    const created = await createOutside("svc-fresh-oob");
    const finding = await until("the drift finding", async () => (await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-fresh-oob")));
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(5000);
    expect(finding).toMatchObject({ kind: "out-of-band", actual: { associationId: created.association!.associationId, roleArn: PI_ROLE } });
    const [notice] = await until("the notice", async () => {
      const n = await notices();
      return n.length ? n : undefined;
    });
    expect(notice).toMatchObject({ event: "drift.out-of-band", path: "/drift" });
    expect(notice!.text).toContain(`${CLUSTER}/${NS}/svc-fresh-oob`);
    expect(notice!.text).toContain("CreatePodIdentityAssociation by arn:aws:iam::111122223333:user/sandbox-admin");
  });

  it("an approved association changed and then deleted out of band: changed, then missing; RoleGate's own apply raises no notice", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-fresh-approved"));
    await approveRequest(w.deps, ivy, { id: r.id });
    await runner(w).drain();
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    consumer = makeConsumer();
    await drain(consumer);
    expect(handled.map((h) => [h.kind, h.outcome])).toEqual([["association", "applied"]]);
    expect(await notices()).toEqual([]);
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.some((f) => f.key === key("svc-fresh-approved"))).toBe(false);

    await outside().eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: item.resultAssociationId!, roleArn: OTHER_PI_ROLE }));
    await drain(consumer);
    const changed = (await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-fresh-approved"));
    expect(changed).toMatchObject({ kind: "changed", differences: [`role: approved ${PI_ROLE}, AWS has ${OTHER_PI_ROLE}`] });

    await outside().eks.send(new DeletePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: item.resultAssociationId! }));
    await drain(consumer);
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-fresh-approved"))?.kind).toBe("missing");
    expect((await notices()).map((n) => n.event)).toEqual(["drift.changed", "drift.missing"]);
  });

  it("duplicated and reordered events leave the cache exactly as a full refresh reads it, with one notice per change", async () => {
    consumer = makeConsumer();
    await setEventFaults({ duplicate: 10 });
    const a = await createOutside("svc-fresh-dup");
    await outside().eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: a.association!.associationId!, roleArn: OTHER_PI_ROLE }));
    // Reversed: the newest event (the delete) first, the create last.
    await setEventFaults({ reverse: 3 });
    const b = await createOutside("svc-fresh-reorder");
    await outside().eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: b.association!.associationId!, roleArn: OTHER_PI_ROLE }));
    await outside().eks.send(new DeletePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: b.association!.associationId! }));
    await drain(consumer);
    expect(handled).toHaveLength(4 + 3);
    expect(handled.every((h) => ["applied", "unchanged", "stale"].includes(h.outcome))).toBe(true);
    const viaEvents = await cachedRows();
    expect(viaEvents.find((r) => r.sa === "svc-fresh-dup")?.role).toBe(OTHER_PI_ROLE);
    expect(viaEvents.some((r) => r.sa === "svc-fresh-reorder")).toBe(false);
    await refresh();
    expect(await cachedRows()).toEqual(viaEvents);
    // The duplicate of an event queues no second notice (keyed by the event's id).
    const events = (await notices()).map((n) => n.event);
    expect(events.filter((e) => e === "drift.out-of-band")).toHaveLength(1);
  });

  it("a late event never overwrites what was read after it: the guarded write reports it stale", async () => {
    consumer = makeConsumer();
    const a = await createOutside("svc-fresh-late");
    await drain(consumer);
    // A newer read (another replica, a refresh) stored the row after this event's re-read would begin.
    const future = new Date(Date.now() + 60_000);
    await w.prisma.podIdentityAssociation.updateMany({ where: { associationId: a.association!.associationId! }, data: { refreshedAt: future, roleArn: "arn:aws:iam::111122223333:role/newer-read" } });
    await outside().eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: a.association!.associationId!, roleArn: OTHER_PI_ROLE }));
    handled.length = 0;
    await drain(consumer);
    expect(handled.map((h) => h.outcome)).toEqual(["stale"]);
    const row = await w.prisma.podIdentityAssociation.findFirstOrThrow({ where: { associationId: a.association!.associationId! } });
    expect(row.roleArn).toBe("arn:aws:iam::111122223333:role/newer-read");
  });

  it("a lost event leaves the change for the next refresh, which reconciles it", async () => {
    consumer = makeConsumer();
    await setEventFaults({ drop: 1 });
    await createOutside("svc-fresh-lost");
    await drain(consumer);
    expect(handled).toEqual([]);
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.some((f) => f.key === key("svc-fresh-lost"))).toBe(false);
    await refresh();
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-fresh-lost"))?.kind).toBe("out-of-band");
  });

  it("a malformed message is deleted and counted, never retried; a failing one comes back and is applied", async () => {
    consumer = makeConsumer();
    const sqs = new SQSClient({ endpoint: w.sandbox.awsEndpoint, region: REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: w.sandbox.eventsQueueUrl, MessageBody: "not json" }));
      await sqs.send(new SendMessageCommand({ QueueUrl: w.sandbox.eventsQueueUrl, MessageBody: JSON.stringify({ "detail-type": "Scheduled Event", source: "aws.events", detail: {} }) }));
    } finally {
      sqs.destroy();
    }
    await drain(consumer);
    expect(handled.map((h) => h.outcome)).toEqual(["malformed", "malformed"]);
    expect(handled[0]!.error).toBe("body is not JSON");
    expect((await new EventsQueueGateway(w.pool, w.sandbox.eventsQueueUrl).backlog())).toEqual({ visible: 0, inFlight: 0 });

    // Describe fails past the light attempt and the SDK's retries (1 + 3 attempts, lib/aws/light-get.ts):
    // the message comes back 2 s later and is applied then.
    w.sandbox.ctx.faults.configure({ failNext: { DescribePodIdentityAssociation: 4 } });
    await createOutside("svc-fresh-retry");
    handled.length = 0;
    await consumer.pollOnce(0);
    expect(handled.map((h) => h.outcome)).toEqual(["failed"]);
    await until("the retried event", async () => (await consumer!.pollOnce(1)).some((h) => h.outcome === "applied"));
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-fresh-retry"))?.kind).toBe("out-of-band");
  });

  it("a trust policy changed outside RoleGate is re-read and noticed; RoleGate's own change is not", async () => {
    consumer = makeConsumer();
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] });
    await outside().iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "domino-pi-unmapped", PolicyDocument: trust }));
    await w.pool.iamFor(LOC).send(new UpdateAssumeRolePolicyCommand({ RoleName: "domino-pi-unmapped", PolicyDocument: trust }));
    await drain(consumer);
    expect(handled.map((h) => [h.kind, h.outcome])).toEqual([["role", "applied"], ["role", "applied"]]);
    expect(w.sandbox.ctx.calls.list({ operation: "GetRole" }).length).toBeGreaterThanOrEqual(2);
    const n = await notices();
    expect(n.map((x) => x.event)).toEqual(["role.changed_outside"]);
    expect(n[0]!.text).toContain("UpdateAssumeRolePolicy on role domino-pi-unmapped in 111122223333");
  });
});

describe("change event messages", () => {
  it("reads CloudTrail's EventBridge shape and refuses what is not one", () => {
    const event = {
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.eks",
      detail: { eventID: "e1", eventName: "DeletePodIdentityAssociation", eventTime: "2026-12-01T10:00:00Z", awsRegion: REGION, recipientAccountId: PROD, requestParameters: { clusterName: "c", associationId: "a-1" }, responseElements: { association: { namespace: "n", serviceAccount: "s" } } },
    };
    expect(parseChangeEvent(JSON.stringify(event))).toMatchObject({ ok: true, event: { kind: "association", cluster: "c", associationId: "a-1", namespace: "n", serviceAccount: "s" } });
    expect(parseChangeEvent(JSON.stringify({ ...event, detail: { ...event.detail, errorCode: "AccessDenied" } }))).toMatchObject({ ok: true, event: { kind: "other" } });
    expect(parseChangeEvent(JSON.stringify({ ...event, detail: { ...event.detail, eventTime: "yesterday" } })).ok).toBe(false);
    expect(parseChangeEvent(JSON.stringify({ ...event, detail: { ...event.detail, requestParameters: {} , responseElements: null } }))).toEqual({ ok: false, reason: "DeletePodIdentityAssociation names no cluster or association id" });
  });

  it("the documented EventBridge rule matches exactly the changes the sandbox emits", () => {
    const pattern = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../deploy/events/event-pattern.json"), "utf8"));
    expect([...pattern.detail.eventName].sort()).toEqual([...EMITTED_OPERATIONS.eks, ...EMITTED_OPERATIONS.iam].sort());
  });

  it("ROLEGATE_EVENTS_QUEUE_URL: the sandbox's queue by default, off on request, a queue URL in aws mode", () => {
    const base = { ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_AWS_ENDPOINT: "http://127.0.0.1:14566" };
    expect(loadConfig(base).events).toEqual({ queueUrl: "http://127.0.0.1:14566/111122223333/rolegate-events", waitSeconds: 20 });
    expect(loadConfig({ ...base, ROLEGATE_EVENTS_QUEUE_URL: "off" }).events).toBeUndefined();
    const aws = { ROLEGATE_MODE: "aws", ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: process.env.ROLEGATE_AUDIT_KEY };
    expect(loadConfig(aws).events).toBeUndefined();
    expect(loadConfig({ ...aws, ROLEGATE_EVENTS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/111122223333/rolegate-events", ROLEGATE_EVENTS_WAIT_SECONDS: "5" }).events).toEqual({ queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/rolegate-events", waitSeconds: 5 });
    expect(() => loadConfig({ ...aws, ROLEGATE_EVENTS_QUEUE_URL: "rolegate-events" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...aws, ROLEGATE_EVENTS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/111122223333/q", ROLEGATE_EVENTS_WAIT_SECONDS: "30" })).toThrow(/ROLEGATE_EVENTS_WAIT_SECONDS/);
  });
});
