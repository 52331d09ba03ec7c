// SQS over the AWS JSON 1.0 protocol (X-Amz-Target: AmazonSQS.<Operation>), as
// @aws-sdk/client-sqs speaks it: queues in memory, standard-queue semantics —
// at-least-once delivery, a visibility timeout per receive, a fresh receipt
// handle per receive (only the latest one deletes), long polling with
// WaitTimeSeconds, MD5OfBody (the SDK checks it). Errors carry the JSON
// __type and the awsQueryCompatible x-amzn-query-error header the SDK reads.
// The sandbox feeds CloudTrail-shaped events into the events queue (cloudtrail.ts).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Caller } from "./accounts";
import { AwsError } from "./errors";
import type { AwsRequest, AwsResponse, RoutedCall } from "./wire";

const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";
/** Query-protocol codes of the modeled errors (the SDK's awsQueryError trait), by __type. */
const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: "AWS.SimpleQueueService.NonExistentQueue",
  QueueNameExists: "QueueAlreadyExists",
  ReceiptHandleIsInvalid: "ReceiptHandleIsInvalid",
  MessageNotInflight: "AWS.SimpleQueueService.MessageNotInflight",
  InvalidParameterValueException: "InvalidParameterValue",
  InvalidAttributeName: "InvalidAttributeName",
  UnsupportedOperation: "AWS.SimpleQueueService.UnsupportedOperation",
};
const MAX_BODY_CHARS = 256 * 1024;

interface StoredMessage {
  messageId: string;
  body: string;
  md5: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** ms since epoch; visible when <= now. */
  visibleAt: number;
  /** The handle of the latest receive (only it can delete or change visibility). */
  receipt?: string;
}

interface Queue {
  accountId: string;
  region: string;
  name: string;
  createdAt: number;
  visibilityTimeout: number;
  receiveWaitTime: number;
  messages: StoredMessage[];
  /** Resolvers of long polls waiting for a message. */
  waiters: Set<() => void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

export function sqsError(code: keyof typeof QUERY_CODES | string, message: string, status = 400): AwsError {
  return new AwsError(code, message, status);
}

function invalidParameter(message: string): AwsError {
  return sqsError("InvalidParameterValueException", message);
}

/** The JSON error body and headers of SQS (awsJson1_0 + awsQueryCompatible). */
export function renderSqsError(err: AwsError): AwsResponse {
  const query = QUERY_CODES[err.code] ?? err.code;
  return {
    status: err.status,
    contentType: JSON_CONTENT_TYPE,
    headers: { "x-amzn-query-error": `${query};${err.fault}`, "x-amzn-ErrorType": err.code },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${err.code}`, message: err.message }),
  };
}

function intIn(body: Record<string, unknown>, name: string, min: number, max: number, reason: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw invalidParameter(`Value ${JSON.stringify(v)} for parameter ${name} is invalid. Reason: ${reason}`);
  }
  return v;
}

function str(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== "string" || v === "") {
    throw sqsError("MissingParameter", `The request must contain the parameter ${name}.`);
  }
  return v;
}

export class SqsService {
  private readonly queues = new Map<string, Queue>();

  constructor(
    /** Where queue URLs point (the sandbox's AWS endpoint); set once the port is known. */
    private endpoint: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  private key(accountId: string, name: string) {
    return `${accountId}/${name}`;
  }

  queueUrl(q: { accountId: string; name: string }): string {
    return `${this.endpoint()}/${q.accountId}/${q.name}`;
  }

  /** Creates the queue unless it exists; returns its URL. */
  ensureQueue(accountId: string, region: string, name: string, attributes: { VisibilityTimeout?: number; ReceiveMessageWaitTimeSeconds?: number } = {}): string {
    const key = this.key(accountId, name);
    let q = this.queues.get(key);
    if (!q) {
      q = { accountId, region, name, createdAt: this.now(), visibilityTimeout: attributes.VisibilityTimeout ?? 30, receiveWaitTime: attributes.ReceiveMessageWaitTimeSeconds ?? 0, messages: [], waiters: new Set() };
      this.queues.set(key, q);
    }
    return this.queueUrl(q);
  }

  /** Drops every message (sandbox reset); the queues stay. */
  purgeAll(): void {
    for (const q of this.queues.values()) q.messages = [];
  }

  /** Enqueues a body (SendMessage, and the CloudTrail feed). */
  send(accountId: string, name: string, body: string, delaySeconds = 0): { MessageId: string; MD5OfMessageBody: string } {
    const q = this.queues.get(this.key(accountId, name));
    if (!q) throw sqsError("QueueDoesNotExist", "The specified queue does not exist.");
    const m: StoredMessage = { messageId: randomUUID(), body, md5: md5(body), sentAt: this.now(), receiveCount: 0, visibleAt: this.now() + delaySeconds * 1000 };
    q.messages.push(m);
    for (const wake of [...q.waiters]) wake();
    return { MessageId: m.messageId, MD5OfMessageBody: m.md5 };
  }

  /** Counts for GetQueueAttributes and tests. */
  depth(accountId: string, name: string): { visible: number; inFlight: number; delayed: number } {
    const q = this.queues.get(this.key(accountId, name));
    const now = this.now();
    const out = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of q?.messages ?? []) {
      if (m.visibleAt <= now) out.visible++;
      else if (m.receipt) out.inFlight++;
      else out.delayed++;
    }
    return out;
  }

  /** The queue a request names: by QueueUrl (its last two path segments), in the caller's account or the URL's. */
  private queueOf(body: Record<string, unknown>): Queue {
    const url = str(body, "QueueUrl");
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      path = url;
    }
    const [accountId, name] = path.split("/").filter(Boolean).slice(-2);
    const q = accountId && name ? this.queues.get(this.key(accountId, name)) : undefined;
    if (!q) throw sqsError("QueueDoesNotExist", "The specified queue does not exist.");
    return q;
  }

  private parseReceipt(q: Queue, handle: unknown): { messageId: string; handle: string } {
    if (typeof handle !== "string" || handle === "") throw sqsError("MissingParameter", "The request must contain the parameter ReceiptHandle.");
    try {
      const decoded = JSON.parse(Buffer.from(handle, "base64").toString("utf8")) as { q?: unknown; m?: unknown; n?: unknown };
      if (decoded.q === this.key(q.accountId, q.name) && typeof decoded.m === "string" && typeof decoded.n === "string") return { messageId: decoded.m, handle };
    } catch {
      /* below */
    }
    throw sqsError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);
  }

  private takeVisible(q: Queue, max: number, visibilitySeconds: number): StoredMessage[] {
    const now = this.now();
    const out: StoredMessage[] = [];
    for (const m of q.messages) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      m.visibleAt = now + visibilitySeconds * 1000;
      m.receipt = Buffer.from(JSON.stringify({ q: this.key(q.accountId, q.name), m: m.messageId, n: randomBytes(12).toString("hex") })).toString("base64");
      out.push(m);
    }
    return out;
  }

  private async receive(body: Record<string, unknown>, gone: () => boolean) {
    const q = this.queueOf(body);
    const max = intIn(body, "MaxNumberOfMessages", 1, 10, "Must be between 1 and 10, if provided.") ?? 1;
    const visibility = intIn(body, "VisibilityTimeout", 0, 43200, "Must be between 0 and 43200, if provided.") ?? q.visibilityTimeout;
    const wait = intIn(body, "WaitTimeSeconds", 0, 20, "Must be >= 0 and <= 20, if provided.") ?? q.receiveWaitTime;
    const wantsAll = (names: unknown) => Array.isArray(names) && names.some((n) => n === "All");
    const system = wantsAll(body.AttributeNames) || wantsAll(body.MessageSystemAttributeNames);
    const deadline = this.now() + wait * 1000;
    let taken = this.takeVisible(q, max, visibility);
    while (taken.length === 0 && this.now() < deadline && !gone()) {
      let wake!: () => void;
      const woken = new Promise<void>((r) => (wake = r));
      q.waiters.add(wake);
      // Wake on a new message, or every 100 ms (a message whose visibility timeout ran out).
      await Promise.race([woken, sleep(Math.min(100, Math.max(0, deadline - this.now())))]);
      q.waiters.delete(wake);
      if (gone()) break;
      taken = this.takeVisible(q, max, visibility);
    }
    if (gone()) {
      // The client hung up (its SDK client was destroyed): it never saw these, so they stay visible.
      for (const m of taken) m.visibleAt = this.now();
      return { Messages: [] };
    }
    return {
      Messages: taken.map((m) => ({
        MessageId: m.messageId,
        ReceiptHandle: m.receipt,
        MD5OfBody: m.md5,
        Body: m.body,
        ...(system
          ? { Attributes: { SentTimestamp: String(m.sentAt), ApproximateReceiveCount: String(m.receiveCount), ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt), SenderId: "AIDASANDBOXEVENTBRIDGE" } }
          : {}),
      })),
    };
  }

  private deleteMessage(body: Record<string, unknown>) {
    const q = this.queueOf(body);
    const { messageId, handle } = this.parseReceipt(q, body.ReceiptHandle);
    // A handle of an earlier receive "succeeds" without deleting (AWS: the latest handle deletes); a deleted message: success.
    const i = q.messages.findIndex((m) => m.messageId === messageId && m.receipt === handle);
    if (i >= 0) q.messages.splice(i, 1);
    return {};
  }

  private changeVisibility(body: Record<string, unknown>) {
    const q = this.queueOf(body);
    const { messageId, handle } = this.parseReceipt(q, body.ReceiptHandle);
    const seconds = intIn(body, "VisibilityTimeout", 0, 43200, "Must be between 0 and 43200.");
    if (seconds === undefined) throw sqsError("MissingParameter", "The request must contain the parameter VisibilityTimeout.");
    const m = q.messages.find((x) => x.messageId === messageId);
    if (!m || m.receipt !== handle) throw invalidParameter(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
    if (m.visibleAt <= this.now()) throw sqsError("MessageNotInflight", "The message referred to isn't in flight.");
    m.visibleAt = this.now() + seconds * 1000;
    if (seconds === 0) for (const wake of [...q.waiters]) wake();
    return {};
  }

  private attributes(body: Record<string, unknown>) {
    const q = this.queueOf(body);
    const d = this.depth(q.accountId, q.name);
    const all: Record<string, string> = {
      QueueArn: `arn:aws:sqs:${q.region}:${q.accountId}:${q.name}`,
      ApproximateNumberOfMessages: String(d.visible),
      ApproximateNumberOfMessagesNotVisible: String(d.inFlight),
      ApproximateNumberOfMessagesDelayed: String(d.delayed),
      VisibilityTimeout: String(q.visibilityTimeout),
      ReceiveMessageWaitTimeSeconds: String(q.receiveWaitTime),
      CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
    };
    const names = Array.isArray(body.AttributeNames) ? (body.AttributeNames as unknown[]) : [];
    const unknown = names.find((n) => n !== "All" && !(typeof n === "string" && n in all));
    if (unknown !== undefined) throw sqsError("InvalidAttributeName", `Unknown Attribute ${String(unknown)}.`);
    const picked = names.includes("All") ? all : Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k)));
    return Object.keys(picked).length ? { Attributes: picked } : {};
  }

  private createQueue(caller: Caller, region: string, body: Record<string, unknown>) {
    const name = str(body, "QueueName");
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    const attrs = (body.Attributes ?? {}) as Record<string, string>;
    const existing = this.queues.get(this.key(caller.accountId, name));
    if (existing && attrs.VisibilityTimeout !== undefined && Number(attrs.VisibilityTimeout) !== existing.visibilityTimeout) {
      throw sqsError("QueueNameExists", `A queue already exists with the same name and a different value for attribute VisibilityTimeout`);
    }
    const num = (v: string | undefined, n: string, max: number) => {
      if (v === undefined) return undefined;
      const x = Number(v);
      if (!Number.isInteger(x) || x < 0 || x > max) throw sqsError("InvalidAttributeValue", `Invalid value for the parameter ${n}.`);
      return x;
    };
    return { QueueUrl: this.ensureQueue(caller.accountId, region, name, { VisibilityTimeout: num(attrs.VisibilityTimeout, "VisibilityTimeout", 43200), ReceiveMessageWaitTimeSeconds: num(attrs.ReceiveMessageWaitTimeSeconds, "ReceiveMessageWaitTimeSeconds", 20) }) };
  }

  private getQueueUrl(caller: Caller, body: Record<string, unknown>) {
    const name = str(body, "QueueName");
    const owner = typeof body.QueueOwnerAWSAccountId === "string" ? body.QueueOwnerAWSAccountId : caller.accountId;
    const q = this.queues.get(this.key(owner, name));
    if (!q) throw sqsError("QueueDoesNotExist", "The specified queue does not exist.");
    return { QueueUrl: this.queueUrl(q) };
  }

  private sendMessage(body: Record<string, unknown>) {
    const q = this.queueOf(body);
    const text = body.MessageBody;
    if (typeof text !== "string" || text === "") throw sqsError("MissingParameter", "The request must contain the parameter MessageBody.");
    if (text.length > MAX_BODY_CHARS) throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_CHARS} bytes.`);
    const delay = intIn(body, "DelaySeconds", 0, 900, "Must be >= 0 and <= 900, if provided.") ?? 0;
    return this.send(q.accountId, q.name, text, delay);
  }

  /** Routes one signed SQS request (X-Amz-Target) like the other services' routers. */
  route(caller: Caller, req: AwsRequest, gone: () => boolean): RoutedCall {
    const target = String(req.headers["x-amz-target"] ?? "");
    const m = /^AmazonSQS\.(\w+)$/.exec(target);
    if (req.method !== "POST" || !m) throw sqsError("UnknownOperationException", `The sandbox's SQS speaks the AWS JSON protocol only (X-Amz-Target: AmazonSQS.<Operation>), got '${target}'`);
    const operation = m[1]!;
    const parse = (): Record<string, unknown> => {
      try {
        const v: unknown = JSON.parse(req.body || "{}");
        if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        /* below */
      }
      throw sqsError("SerializationException", "Could not parse request body into json");
    };
    const handlers: Record<string, (b: Record<string, unknown>) => unknown> = {
      ReceiveMessage: (b) => this.receive(b, gone),
      DeleteMessage: (b) => this.deleteMessage(b),
      ChangeMessageVisibility: (b) => this.changeVisibility(b),
      GetQueueAttributes: (b) => this.attributes(b),
      GetQueueUrl: (b) => this.getQueueUrl(caller, b),
      CreateQueue: (b) => this.createQueue(caller, req.region, b),
      SendMessage: (b) => this.sendMessage(b),
    };
    const handler = handlers[operation];
    if (!handler) throw sqsError("UnsupportedOperation", `The sandbox's SQS does not emulate ${operation}`);
    return {
      operation,
      execute: async () => ({ status: 200, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(await handler(parse())) }),
    };
  }
}
