// Shared state of one running sandbox: the world, fault injection and the call
// log. The AWS and Kubernetes emulators both receive one of these.
import { appendFileSync } from "node:fs";
import type { SandboxWorld } from "./model";
import type { CloudTrailFeed } from "./aws/cloudtrail";
import type { SqsService } from "./aws/sqs";

export type SandboxService = "eks" | "iam" | "sts" | "sqs" | "kube";

interface ThrottleRule {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size (burst). Defaults to ratePerSecond. */
  burst?: number;
  /**
   * Which calls share a bucket: "operation" (default, one bucket per operation
   * name), "operation+cluster" (one per operation and cluster, as EKS throttles
   * per cluster in practice).
   */
  scope?: "operation" | "operation+cluster";
}

export interface FaultSettings {
  /** Added latency per call in ms (all calls), or per operation name ("DescribePodIdentityAssociation", "kube:listPods"). */
  latencyMs?: number;
  latencyByOperation?: Record<string, number>;
  /** Token-bucket throttles keyed by operation name, or "*" for every operation. */
  throttle?: Record<string, ThrottleRule>;
  /** Fraction 0..1 of calls answered with a 5xx (ServiceUnavailable / ServerException / InternalError). */
  errorRate5xx?: number;
  /** Operations the 5xx rate applies to (default: all). */
  errorOperations?: string[];
  /** Fail the next N calls of an operation with a 5xx, deterministically (for tests). */
  failNext?: Record<string, number>;
  /** Seed for the deterministic random source used by errorRate5xx. */
  seed?: number;
}

export interface CallRecord {
  seq: number;
  time: string;
  service: SandboxService;
  operation: string;
  accountId?: string;
  region?: string;
  cluster?: string;
  /** HTTP status answered. */
  status: number;
  /** AWS error code / Kubernetes reason when the call failed. */
  errorCode?: string;
  /** Injected fault that produced the answer, if any. */
  injected?: "throttle" | "5xx";
  durationMs: number;
  /** The caller's User-Agent (RoleGate's SDK clients add "rolegate"). */
  userAgent?: string;
}

type FaultDecision =
  | { kind: "none" }
  | { kind: "throttle" }
  | { kind: "5xx" };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Deterministic PRNG (mulberry32) so fault runs (and synthetic test data) repeat. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private settings: FaultSettings = {};
  private buckets = new Map<string, Bucket>();
  private random: () => number = mulberry32(1);

  constructor(settings: FaultSettings = {}) {
    this.configure(settings);
  }

  configure(settings: FaultSettings): void {
    this.settings = { ...settings, failNext: { ...(settings.failNext ?? {}) } };
    this.buckets.clear();
    this.random = mulberry32(settings.seed ?? 1);
  }

  current(): FaultSettings {
    return structuredClone(this.settings);
  }

  latencyFor(operation: string): number {
    return this.settings.latencyByOperation?.[operation] ?? this.settings.latencyMs ?? 0;
  }

  /** Decide the fate of one call. Consumes a throttle token when one applies. */
  decide(operation: string, cluster?: string, now = Date.now()): FaultDecision {
    const failNext = this.settings.failNext?.[operation];
    if (failNext && failNext > 0) {
      this.settings.failNext![operation] = failNext - 1;
      return { kind: "5xx" };
    }
    const rule = this.settings.throttle?.[operation] ?? this.settings.throttle?.["*"];
    if (rule) {
      const key = rule.scope === "operation+cluster" ? `${operation}@${cluster ?? ""}` : operation;
      const burst = rule.burst ?? rule.ratePerSecond;
      const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rule.ratePerSecond);
      bucket.updatedAt = now;
      this.buckets.set(key, bucket);
      if (bucket.tokens < 1) return { kind: "throttle" };
      bucket.tokens -= 1;
    }
    const rate = this.settings.errorRate5xx ?? 0;
    if (rate > 0) {
      const ops = this.settings.errorOperations;
      if ((!ops || ops.includes(operation)) && this.random() < rate) return { kind: "5xx" };
    }
    return { kind: "none" };
  }
}

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;
  /** Calls per "service operation status[ injected]" since the start (or the last clear): never trimmed. */
  private readonly counts = new Map<string, number>();
  /**
   * One copy of each user agent: a record outlives many garbage collections, and at thousands of calls
   * a second a fresh header string per record was most of what the log made the collector move.
   */
  private readonly userAgents = new Map<string, string>();
  private recordFile: string | undefined | null = null;
  /** Bounded so a long-running sandbox does not grow without limit. */
  constructor(private readonly capacity = 100_000) {}

  add(record: Omit<CallRecord, "seq" | "time">): void {
    const ua = record.userAgent;
    const userAgent = ua === undefined ? undefined : (this.userAgents.get(ua) ?? (this.userAgents.size < 1_000 ? (this.userAgents.set(ua, ua), ua) : ua));
    // The records themselves are listed (tests compare them by identity across lists).
    const stored: CallRecord = { seq: ++this.seq, time: new Date().toISOString(), ...record, userAgent };
    this.records.push(stored);
    // A test run's record of every AWS call (tests/iam/aws-calls-setup.ts checks them against deploy/iam/).
    // Read once: process.env is a slow lookup for every call of a busy sandbox.
    if (this.recordFile === null) this.recordFile = process.env.ROLEGATE_SANDBOX_CALL_RECORD;
    if (this.recordFile && stored.service !== "kube") {
      appendFileSync(this.recordFile, JSON.stringify({ service: stored.service, operation: stored.operation, status: stored.status, userAgent: stored.userAgent ?? "" }) + "\n");
    }
    const key = `${stored.service} ${stored.operation} ${stored.status}${stored.injected ? ` ${stored.injected}` : ""}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    // Trimmed a tenth at a time: trimming one record per call moved the whole log on every call past the bound.
    if (this.records.length > this.capacity + Math.ceil(this.capacity / 10)) this.records.splice(0, this.records.length - this.capacity);
  }

  /** How many calls of each service, operation and answer (and injected fault) were made, whatever the log still holds. */
  countsByAnswer(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  list(filter: { service?: string; operation?: string; sinceSeq?: number } = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (!filter.service || r.service === filter.service) &&
        (!filter.operation || r.operation === filter.operation) &&
        (filter.sinceSeq === undefined || r.seq > filter.sinceSeq),
    );
  }

  clear(): void {
    this.records = [];
    this.counts.clear();
  }

  get lastSeq(): number {
    return this.seq;
  }
}

export interface SandboxContext {
  world: SandboxWorld;
  faults: FaultInjector;
  calls: CallLog;
  /** Current time; tests may replace it to control the clock. */
  now: () => Date;
  /** Called after every mutation so a file-backed sandbox can persist its world. */
  changed: () => void;
  /** SQS queues (in memory; startSandbox makes them). */
  sqs?: SqsService;
  /** CloudTrail management events of the calls served, into the events queue (aws/cloudtrail.ts). */
  cloudTrail?: CloudTrailFeed;
}
