// In-process worker: polls the queue, runs each claimed job under a lease it
// renews while working. Several runners (processes or replicas) can share one
// Postgres: SKIP LOCKED hands each job to one of them. A runner claims only the
// queues it has handlers for. Jobs run one at a time, except those of a lane
// (e.g. the scan's per-cluster parts): up to the lane's concurrency at once,
// beside the one-at-a-time jobs.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { PrismaClient } from "@/lib/db/generated/client";
import { reportRunnerActivity } from "@/lib/observability/health";
import { log } from "@/lib/observability/log";
import { claimJob, claimJobs, completeJob, failJob, renewLease, type ClaimedJob, type JobQueue } from "./queue";

/** Jobs a lane claims in one round trip at most. */
const CLAIM_BATCH = 10;

export type JobHandler = (job: ClaimedJob) => Promise<void>;

export interface RunnerOptions {
  pollMs?: number;
  leaseMs?: number;
  /** Called on every poll tick (e.g. expire pending requests). */
  onTick?: () => Promise<unknown>;
  tickEveryMs?: number;
  log?: (entry: Record<string, unknown>) => void;
  /** Reports its polls to /readyz (default true; false for a runner started for one task, e.g. an inline scan). */
  reportsHealth?: boolean;
  /** Queues whose jobs run side by side, up to `concurrency` at once per runner. */
  lanes?: { queues: JobQueue[]; concurrency: number }[];
}

interface Lane {
  queues: JobQueue[];
  concurrency: number;
  inflight: number;
}

export class JobRunner {
  /** Stored as the claimed job's lockedBy: the pod (host) and process holding it, for people reading the queue. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastTick = 0;
  private readonly lanes: Lane[];
  /** Queues of the one-at-a-time loop: the handled ones outside every lane. */
  private readonly serialQueues: JobQueue[];
  private readonly laneJobs = new Set<Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly handlers: Partial<Record<JobQueue, JobHandler>>,
    private readonly options: RunnerOptions = {},
  ) {
    this.lanes = (options.lanes ?? []).map((l) => ({ queues: l.queues.filter((q) => handlers[q]), concurrency: Math.max(1, l.concurrency), inflight: 0 }));
    const inLanes = new Set(this.lanes.flatMap((l) => l.queues));
    this.serialQueues = (Object.keys(handlers) as JobQueue[]).filter((q) => !inLanes.has(q));
  }

  private get leaseMs() {
    return this.options.leaseMs ?? 60_000;
  }

  private log(entry: Record<string, unknown>) {
    if (this.options.log) return this.options.log({ worker: this.workerId, ...entry });
    const { level, ...rest } = entry;
    log()[level === "error" ? "error" : "info"]({ worker: this.workerId, ...rest }, "job runner");
  }

  /** Claims and runs due jobs (outside the lanes) until none is left; returns how many ran. */
  async drain(max = 100): Promise<number> {
    let n = 0;
    while (n < max && this.serialQueues.length) {
      const job = await claimJob(this.prisma, this.workerId, this.leaseMs, new Date(), this.serialQueues);
      if (!job) break;
      n++;
      await this.runJob(job);
    }
    return n;
  }

  /**
   * Claims due jobs of a lane while it has room, up to CLAIM_BATCH in one round trip (a scan's
   * hundred cluster parts, one by one, took seconds to start on a busy replica); each runs in the
   * background and, once done, makes room for the next.
   */
  private async fillLane(lane: Lane): Promise<void> {
    while (!this.stopped && lane.queues.length && lane.inflight < lane.concurrency) {
      const want = Math.min(CLAIM_BATCH, lane.concurrency - lane.inflight);
      lane.inflight += want; // held while claiming: a fill started meanwhile sees the lane as full as it will be
      const jobs = await claimJobs(this.prisma, this.workerId, this.leaseMs, want, new Date(), lane.queues).catch((e: unknown) => {
        this.log({ level: "error", lane: lane.queues.join(","), error: (e as Error).message });
        return [];
      });
      lane.inflight -= want - jobs.length;
      for (const job of jobs) {
        const run: Promise<void> = this.runJob(job).finally(() => {
          lane.inflight--;
          this.laneJobs.delete(run);
          if (!this.stopped) void this.fillLane(lane);
        });
        this.laneJobs.add(run);
      }
      if (jobs.length < want) return;
    }
  }

  /** Started and running the jobs of this queue in a lane. */
  runsLane(queue: JobQueue): boolean {
    return !this.stopped && this.lanes.some((l) => l.queues.includes(queue));
  }

  /** Jobs of the lanes running now (for tests and benchmarks). */
  get laneJobsInFlight(): number {
    return this.laneJobs.size;
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
    if (this.options.reportsHealth === false) return;
    reportRunnerActivity(this.options.pollMs ?? 1000, this.stopped);
  }

  private async tick(): Promise<void> {
    this.reportActivity();
    const { onTick, tickEveryMs = 60_000 } = this.options;
    if (onTick && Date.now() - this.lastTick >= tickEveryMs) {
      this.lastTick = Date.now();
      await onTick().catch((e) => this.log({ level: "error", tick: true, error: (e as Error).message }));
    }
    for (const lane of this.lanes) await this.fillLane(lane);
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
    await Promise.all([...this.laneJobs]);
  }
}
