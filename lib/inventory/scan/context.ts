// What a scan needs (gateways, targets, limits) and the one helper every AWS
// read goes through: wait for the scope's rate limiter, then call. Throttled
// attempts (including those the SDK retries on its own) slow the scope down.
import { isThrottlingError, observeThrottling, type AwsClientPool, type EksGateway, type EksInventoryGateway, type IamGateway } from "@/lib/aws";
import type { Target } from "@/lib/config/schema";
import type { KubeGateway } from "@/lib/kube";
import { ProgressTracker, type ProgressListener } from "./progress";
import { RateLimiterRegistry, defaultLimiterOptions, type RateLimiterOptions } from "./rate-limiter";

export interface ScanDeps {
  pool: AwsClientPool;
  eks: EksGateway;
  eksInventory: EksInventoryGateway;
  iam: IamGateway;
  /** Omit to skip Kubernetes (service accounts and pods). */
  kube?: KubeGateway;
  targets: Target[];
  /** Describe calls in flight per cluster (the rate limiter paces them; default DEFAULT_DESCRIBE_CONCURRENCY). */
  describeConcurrency?: number;
  /** Clusters scanned at once. */
  clusterConcurrency?: number;
  /** Clusters whose Kubernetes objects this process reads at once (default 4). */
  kubeConcurrency?: number;
  limiterOptions?: (operation: string) => RateLimiterOptions;
  now?: () => Date;
}

/**
 * Describe calls a cluster may have in flight. Its limiter paces them (about 20/s), so this only
 * bounds how long a call may take before the stream waits for answers: 8 allow 400 ms, which a
 * busy process (100 clusters scanned by two replicas on two cores) often exceeded, and its
 * clusters' 1,000 Describes then took 53 to 57 s instead of 50; with 16 (800 ms), 50 to 54 s.
 */
export const DEFAULT_DESCRIBE_CONCURRENCY = 16;

/**
 * The SDK settings a scan's pool runs with: standard retries (the scan's own
 * limiters pace each scope, so no SDK adaptive limiter on top); six attempts,
 * so a call that meets a throttle while its limiter is still slowing down gets
 * through; and a socket for every Describe a process may have in flight on one
 * account (32 clusters at once x 16 each): with the SDK's 50, a scan of 100
 * clusters in 5 accounts queued its calls for sockets and ran at about 16
 * Describe/s per cluster against 20 allowed.
 */
export const SCAN_CLIENT_SETTINGS = { retryMode: "standard", maxAttempts: 6, maxSockets: 32 * DEFAULT_DESCRIBE_CONCURRENCY } as const;

/** Times a read still throttled after the SDK's own retries is made again under its limiter. */
export const THROTTLED_READS_AGAIN = 8;

export interface ScanError {
  scope: string;
  message: string;
}

export class ScanContext {
  readonly limits: RateLimiterRegistry;
  readonly progress: ProgressTracker;
  readonly errors: ScanError[] = [];
  /** When each step of the work ended, in ms since the context was made (logged with the part: where a part's time went). */
  readonly marks: Record<string, number> = {};
  private readonly began = performance.now();
  private unsubscribe: (() => void)[] = [];

  constructor(
    readonly deps: ScanDeps,
    onProgress?: ProgressListener,
  ) {
    this.limits = new RateLimiterRegistry(deps.limiterOptions ?? defaultLimiterOptions);
    this.progress = new ProgressTracker(onProgress);
    for (const t of deps.targets) {
      this.unsubscribe.push(
        observeThrottling(deps.pool, t, (ev) => {
          const region = ev.service === "iam" ? "global" : t.region;
          this.limits.find(RateLimiterRegistry.key({ accountId: t.accountId, region, operation: ev.operation, cluster: ev.clusterName }))?.onThrottle();
        }),
      );
    }
  }

  /**
   * Runs one AWS read under the rate limiter of its scope (IAM is global: region "global"). A read
   * still throttled after the SDK's retries is made again, each time after a token of its (by then
   * slowed) limiter, up to THROTTLED_READS_AGAIN times: the SDK's retries are not paced by the
   * limiter and share the client's retry quota, which a storm of throttles on one account's client
   * could empty, and one Describe given up on fails its whole cluster.
   */
  async limited<T>(scope: { accountId: string; region: string; operation: string; cluster?: string }, fn: () => Promise<T>): Promise<T> {
    const limiter = this.limits.get(RateLimiterRegistry.key(scope), scope.operation);
    for (let again = 0; ; again++) {
      await limiter.acquire();
      try {
        return await fn();
      } catch (e) {
        if (again >= THROTTLED_READS_AGAIN || !isThrottlingError(e)) throw e;
      }
    }
  }

  mark(step: string): void {
    this.marks[step] = Math.round(performance.now() - this.began);
  }

  error(scope: string, e: unknown): void {
    this.errors.push({ scope, message: (e as Error)?.message ?? String(e) });
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }
}
