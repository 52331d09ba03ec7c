// The change-events consumer: long-polls the SQS queue the EventBridge rule
// feeds, applies each event (apply.ts) and deletes its message only once it is
// applied. A message that is not a CloudTrail event is deleted at once (counted
// and logged: it must never block the queue); one whose handling fails is made
// visible again after a growing delay and, after `maxReceives` tries, deleted
// with an error (the next full scan or refresh reconciles what it named).
// Several replicas each run one: SQS hands a message to one of them at a time,
// and apply.ts guards its writes, so a message seen twice changes nothing twice.
import type { EventsQueueGateway, QueueMessage } from "@/lib/aws/events-queue";
import { log as logger } from "@/lib/observability/log";
import { metrics, recordChangeEvent } from "@/lib/observability/metrics";
import { applyChangeEvent, type AppliedEvent, type FreshnessDeps } from "./apply";
import { parseChangeEvent } from "./events";

export interface ConsumerOptions {
  /** Long-poll wait per receive, 1..20 s (default 20). */
  waitSeconds?: number;
  /** Messages per receive, 1..10 (default 10). */
  batch?: number;
  /** Tries before a failing message is dropped (default 8). */
  maxReceives?: number;
  /** Pause after a failed receive (default 5 s). */
  retryMs?: number;
  /** How often the queue's backlog is read for /metrics (default 60 s). */
  backlogEveryMs?: number;
  log?: (entry: Record<string, unknown>) => void;
  /** Called after each message is handled (tests and the benchmark watch it). */
  onHandled?: (result: HandledMessage) => void;
}

export interface HandledMessage {
  messageId: string;
  outcome: AppliedEvent["outcome"] | "malformed" | "failed" | "abandoned";
  kind?: string;
  eventId?: string;
  error?: string;
  applied?: AppliedEvent;
}

export class ChangeEventsConsumer {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private lastBacklog = 0;

  constructor(
    private readonly deps: FreshnessDeps,
    private readonly queue: EventsQueueGateway,
    private readonly options: ConsumerOptions = {},
  ) {}

  private log(level: "info" | "warn" | "error", entry: Record<string, unknown>) {
    if (this.options.log) return this.options.log({ level, ...entry });
    logger()[level]({ queue: this.queue.queueUrl, ...entry }, "change events");
  }

  /** Handles one message; deletes it unless it should be tried again. */
  async handle(m: QueueMessage): Promise<HandledMessage> {
    const parsed = parseChangeEvent(m.body);
    if (!parsed.ok) {
      await this.queue.delete(m.receiptHandle);
      recordChangeEvent("unknown", "malformed");
      this.log("warn", { messageId: m.messageId, malformed: parsed.reason, body: m.body.slice(0, 200) });
      return { messageId: m.messageId, outcome: "malformed", error: parsed.reason };
    }
    const e = parsed.event;
    try {
      const applied = await applyChangeEvent(this.deps, e);
      await this.queue.delete(m.receiptHandle);
      const lag = (Date.now() - e.eventTime.getTime()) / 1000;
      recordChangeEvent(e.kind, applied.outcome, applied.outcome === "applied" ? lag : undefined);
      if (applied.outcome !== "ignored") this.log("info", { eventId: e.eventId, event: e.eventName, kind: e.kind, outcome: applied.outcome, drift: applied.finding?.kind ?? null, noticed: applied.noticed ?? false, lagSeconds: lag });
      return { messageId: m.messageId, outcome: applied.outcome, kind: e.kind, eventId: e.eventId, applied };
    } catch (err) {
      const error = (err as Error).message;
      if (m.receiveCount >= (this.options.maxReceives ?? 8)) {
        await this.queue.delete(m.receiptHandle);
        recordChangeEvent(e.kind, "abandoned");
        this.log("error", { eventId: e.eventId, event: e.eventName, abandoned: true, tries: m.receiveCount, error, note: "the next refresh or scan reconciles it" });
        return { messageId: m.messageId, outcome: "abandoned", kind: e.kind, eventId: e.eventId, error };
      }
      // Try again soon rather than after the queue's whole visibility timeout.
      await this.queue.changeVisibility(m.receiptHandle, Math.min(60, 2 ** m.receiveCount)).catch(() => {});
      recordChangeEvent(e.kind, "failed");
      this.log("warn", { eventId: e.eventId, event: e.eventName, retry: true, tries: m.receiveCount, error });
      return { messageId: m.messageId, outcome: "failed", kind: e.kind, eventId: e.eventId, error };
    }
  }

  /** One receive (long poll) and the handling of what it brought; returns what was handled. */
  async pollOnce(waitSeconds = this.options.waitSeconds ?? 20): Promise<HandledMessage[]> {
    this.abort = new AbortController();
    const messages = await this.queue.receive({ waitSeconds, max: this.options.batch ?? 10, signal: this.abort.signal });
    const out = await Promise.all(messages.map((m) => this.handle(m).catch((err: unknown): HandledMessage => ({ messageId: m.messageId, outcome: "failed", error: (err as Error).message }))));
    for (const h of out) this.options.onHandled?.(h);
    return out;
  }

  private async readBacklog(): Promise<void> {
    if (Date.now() - this.lastBacklog < (this.options.backlogEveryMs ?? 60_000)) return;
    this.lastBacklog = Date.now();
    const b = await this.queue.backlog();
    metrics().changeEventsBacklog.set({ state: "visible" }, b.visible);
    metrics().changeEventsBacklog.set({ state: "in_flight" }, b.inFlight);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          await this.readBacklog();
          await this.pollOnce();
        } catch (err) {
          if (this.stopped) break;
          this.log("error", { receive: true, error: (err as Error).message });
          await new Promise((r) => setTimeout(r, this.options.retryMs ?? 5000));
        }
      }
    })();
  }

  /** Ends the long poll in progress and waits for the messages in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }
}
