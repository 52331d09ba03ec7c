// CloudTrail -> EventBridge -> SQS, emulated: every successful mutating call the
// sandbox serves that changes who can become which role (Pod Identity
// associations, roles and their trust, role policy attachments, OIDC providers)
// becomes a management event shaped as EventBridge delivers CloudTrail's
// "AWS API Call via CloudTrail" to an SQS target (the message body is the event
// JSON). RoleGate's calls and anyone else's alike: CloudTrail does not know.
// Events of every account land in one queue (an organisation's central event
// bus forwarding to RoleGate's home account), `rolegate-events` in the first
// account of the world, us-east-1.
//
// Test hooks (PUT /_sandbox/events): drop, duplicate, or hold back and reverse the
// next N events, so consumers can be shown to survive lost, repeated and
// reordered deliveries.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Caller } from "./accounts";
import type { SqsService } from "./sqs";
import type { AwsRequest } from "./wire";

export const EVENTS_QUEUE_NAME = "rolegate-events";
export const EVENTS_QUEUE_REGION = "us-east-1";

/** The operations that emit, by service. */
export const EMITTED_OPERATIONS: Record<"eks" | "iam", readonly string[]> = {
  eks: ["CreatePodIdentityAssociation", "UpdatePodIdentityAssociation", "DeletePodIdentityAssociation"],
  iam: ["CreateRole", "DeleteRole", "UpdateAssumeRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "CreateOpenIDConnectProvider", "DeleteOpenIDConnectProvider"],
};

export interface CloudTrailEvent {
  version: "0";
  id: string;
  "detail-type": "AWS API Call via CloudTrail";
  source: "aws.eks" | "aws.iam";
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    eventVersion: string;
    userIdentity: Record<string, unknown>;
    eventTime: string;
    eventSource: string;
    eventName: string;
    awsRegion: string;
    sourceIPAddress: string;
    userAgent: string;
    requestParameters: Record<string, unknown> | null;
    responseElements: Record<string, unknown> | null;
    requestID: string;
    eventID: string;
    readOnly: boolean;
    eventType: "AwsApiCall";
    managementEvent: true;
    recipientAccountId: string;
    eventCategory: "Management";
  };
}

const eventFaultsSchema = z
  .object({
    /** Lose the next N events. */
    drop: z.number().int().min(0).optional(),
    /** Deliver each of the next N events twice. */
    duplicate: z.number().int().min(0).optional(),
    /** Hold back the next N events, then deliver them newest first. */
    reverse: z.number().int().min(2).optional(),
  })
  .strict();
export type EventFaults = z.infer<typeof eventFaultsSchema>;

export function parseEventFaults(input: unknown): { ok: true; value: EventFaults } | { ok: false; error: string } {
  const r = eventFaultsSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
}

const lowerFirst = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);

/** CloudTrail's parameter style: camelCase keys, lists as arrays (awsQuery's Foo.member.N). */
function camelParams(params: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === "Action" || k === "Version") continue;
    const list = /^(\w+)\.member\.(\d+)$/.exec(k);
    if (list) ((out[lowerFirst(list[1]!)] ??= []) as string[])[Number(list[2]) - 1] = v;
    else if (!k.includes(".")) out[lowerFirst(k)] = v;
  }
  return out;
}

function camelDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelDeep);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [lowerFirst(k), camelDeep(x)]));
  return v;
}

/** CloudTrail writes event times to the second. */
const trailTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export interface ServedCall {
  service: "eks" | "iam";
  operation: string;
  caller: Caller;
  region: string;
  request: AwsRequest;
  /** What the operation returned (before the wire format): EKS's JSON, IAM's result record. */
  result: unknown;
  at: Date;
  userAgent: string;
  sourceIp: string;
}

/** The EventBridge event of one served call, or undefined when the call emits none. */
export function cloudTrailEvent(call: ServedCall): CloudTrailEvent | undefined {
  if (!EMITTED_OPERATIONS[call.service].includes(call.operation)) return undefined;
  let requestParameters: Record<string, unknown>;
  let responseElements: Record<string, unknown> | null;
  if (call.service === "eks") {
    const seg = call.request.path.split("/").filter(Boolean).map(decodeURIComponent);
    let body: Record<string, unknown> = {};
    try {
      body = call.request.body ? (JSON.parse(call.request.body) as Record<string, unknown>) : {};
    } catch {
      /* the call succeeded, so the body parsed */
    }
    requestParameters = { clusterName: seg[1], ...(seg[3] ? { associationId: seg[3] } : {}), ...body };
    responseElements = (call.result as Record<string, unknown> | undefined) ?? null;
  } else {
    const params: Record<string, string> = {};
    for (const [k, v] of call.request.query) params[k] = v;
    if (call.request.body) for (const [k, v] of new URLSearchParams(call.request.body)) params[k] = v;
    requestParameters = camelParams(params);
    // IAM returns nothing but the entity on create; CloudTrail shows null for the rest.
    responseElements = call.result && Object.keys(call.result as object).length ? (camelDeep(call.result) as Record<string, unknown>) : null;
  }
  const awsRegion = call.service === "iam" ? "us-east-1" : call.region;
  const time = trailTime(call.at);
  const eventID = randomUUID();
  const c = call.caller;
  const userIdentity = c.assumedRole
    ? {
        type: "AssumedRole",
        principalId: `${c.assumedRole.roleId}:${c.assumedRole.sessionName}`,
        arn: c.arn,
        accountId: c.accountId,
        sessionContext: { sessionIssuer: { type: "Role", principalId: c.assumedRole.roleId, arn: c.assumedRole.roleArn, accountId: c.accountId, userName: c.assumedRole.roleName } },
      }
    : { type: "IAMUser", principalId: c.userId, arn: c.arn, accountId: c.accountId, userName: c.arn.split("/").pop() };
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "AWS API Call via CloudTrail",
    source: call.service === "eks" ? "aws.eks" : "aws.iam",
    account: c.accountId,
    time,
    region: awsRegion,
    resources: [],
    detail: {
      eventVersion: "1.09",
      userIdentity,
      eventTime: time,
      eventSource: `${call.service}.amazonaws.com`,
      eventName: call.operation,
      awsRegion,
      sourceIPAddress: call.sourceIp,
      userAgent: call.userAgent,
      requestParameters,
      responseElements,
      requestID: call.request.requestId,
      eventID,
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: c.accountId,
      eventCategory: "Management",
    },
  };
}

/** The EventBridge rule + SQS target: puts events into the events queue, through the test faults. */
export class CloudTrailFeed {
  private faults: Required<EventFaults> = { drop: 0, duplicate: 0, reverse: 0 };
  private held: string[] = [];
  private readonly recent: CloudTrailEvent[] = [];
  private counts = { emitted: 0, delivered: 0, dropped: 0, duplicated: 0 };

  constructor(
    private readonly sqs: SqsService,
    private readonly accountId: () => string,
  ) {}

  /** Creates the events queue (start-up and reset); returns its URL. */
  ensureQueue(): string {
    return this.sqs.ensureQueue(this.accountId(), EVENTS_QUEUE_REGION, EVENTS_QUEUE_NAME, { VisibilityTimeout: 30 });
  }

  get queueUrl(): string {
    return this.ensureQueue();
  }

  configure(f: EventFaults): void {
    this.flushHeld();
    this.faults = { drop: f.drop ?? 0, duplicate: f.duplicate ?? 0, reverse: f.reverse ?? 0 };
  }

  status() {
    return { faults: { ...this.faults }, held: this.held.length, ...this.counts, queueUrl: this.queueUrl, queue: this.sqs.depth(this.accountId(), EVENTS_QUEUE_NAME) };
  }

  /** The latest events emitted (before faults), newest last. */
  list(): CloudTrailEvent[] {
    return [...this.recent];
  }

  reset(): void {
    this.held = [];
    this.faults = { drop: 0, duplicate: 0, reverse: 0 };
    this.recent.length = 0;
    this.counts = { emitted: 0, delivered: 0, dropped: 0, duplicated: 0 };
    this.ensureQueue();
    this.sqs.purgeAll();
  }

  emit(event: CloudTrailEvent): void {
    this.counts.emitted++;
    this.recent.push(event);
    if (this.recent.length > 1000) this.recent.splice(0, this.recent.length - 1000);
    const body = JSON.stringify(event);
    if (this.faults.drop > 0) {
      this.faults.drop--;
      this.counts.dropped++;
      return;
    }
    if (this.faults.reverse > 0) {
      this.held.push(body);
      if (this.held.length >= this.faults.reverse) {
        this.faults.reverse = 0;
        this.flushHeld();
      }
      return;
    }
    this.deliver(body);
  }

  private flushHeld(): void {
    const held = this.held.reverse();
    this.held = [];
    for (const body of held) this.deliver(body);
  }

  private deliver(body: string): void {
    this.ensureQueue();
    this.sqs.send(this.accountId(), EVENTS_QUEUE_NAME, body);
    this.counts.delivered++;
    if (this.faults.duplicate > 0) {
      this.faults.duplicate--;
      this.counts.duplicated++;
      this.sqs.send(this.accountId(), EVENTS_QUEUE_NAME, body);
    }
  }
}
