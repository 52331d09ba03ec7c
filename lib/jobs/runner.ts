// In-process worker: polls the queue, runs each claimed job under a lease it
// renews while working. Several runners (processes or replicas) can share one
// Postgres: SKIP LOCKED hands each job to one of them.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { PrismaClient } from "@/lib/db/generated/client";
import { reportRunnerActivity } from "@/lib/observability/health";
import { log } from "@/lib/observability/log";
import { claimJob, completeJob, failJob, renewLease, type ClaimedJob, type JobQueue } from "./queue";

export type JobHandler = (job: ClaimedJob) => Promise<void>;

export interface RunnerOptions {
  pollMs?: number;
  leaseMs?: number;
  /** Called on every poll tick (e.g. expire pending requests). */
  onTick?: () => Promise<unknown>;
  tickEveryMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export class JobRunner {
  /** Stored as the claimed job's lockedBy: the pod (host) and process holding it, for people reading the queue. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastTick = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly handlers: Partial<Record<JobQueue, JobHandler>>,
    private readonly options: RunnerOptions = {},
  ) {}

  private get leaseMs() {
    return this.options.leaseMs ?? 60_000;
  }

  private log(entry: Record<string, unknown>) {
    if (this.options.log) return this.options.log({ worker: this.workerId, ...entry });
    const { level, ...rest } = entry;
    log()[level === "error" ? "error" : "info"]({ worker: this.workerId, ...rest }, "job runner");
  }

  /** Claims and runs due jobs until none is left; returns how many ran. */
  async drain(max = 100): Promise<number> {
    let n = 0;
    while (n < max) {
      const job = await claimJob(this.prisma, this.workerId, this.leaseMs);
      if (!job) break;
      n++;
      await this.runJob(job);
    }
    return n;
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const handler = this.handlers[job.queue];
    const heartbeat = setInterval(() => {
      this.reportActivity(); // a long job (a scan) keeps the runner alive for /readyz
      void renewLease(this.prisma, job.id, this.workerId, this.leaseMs).catch(() => {});
    }, Math.max(250, this.leaseMs / 3));
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`);
      await handler(job);
      if (!(await completeJob(this.prisma, job.id, this.workerId))) this.log({ level: "error", job: String(job.id), queue: job.queue, lost: true, error: "finished after its lease passed to another worker" });
    } catch (e) {
      const outcome = await failJob(this.prisma, job, this.workerId, (e as Error).message).catch(() => "unknown");
      this.log({ level: "error", job: String(job.id), queue: job.queue, attempt: job.attempts, outcome, error: (e as Error).message });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private reportActivity(): void {
    reportRunnerActivity(this.options.pollMs ?? 1000, this.stopped);
  }

  private async tick(): Promise<void> {
    this.reportActivity();
    const { onTick, tickEveryMs = 60_000 } = this.options;
    if (onTick && Date.now() - this.lastTick >= tickEveryMs) {
      this.lastTick = Date.now();
      await onTick().catch((e) => this.log({ level: "error", tick: true, error: (e as Error).message }));
    }
    await this.drain();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((e) => this.log({ level: "error", error: (e as Error).message }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.pollMs ?? 1000);
        });
    };
    loop();
  }

  /** Stops polling and waits for the job in hand; an interrupted job is re-claimed after its lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.reportActivity();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
