import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AdaptiveRateLimiter, RateLimiterRegistry } from "@/lib/inventory/scan/rate-limiter";

function clocked(initialRate: number) {
  let now = 0;
  const limiter = new AdaptiveRateLimiter({ initialRate, minRate: 1, burst: 1, now: () => now });
  return { limiter, tick: (ms: number) => void (now += ms) };
}

describe("AdaptiveRateLimiter", () => {
  it("halves its rate on throttling, once per burst of throttles", () => {
    const { limiter, tick } = clocked(40);
    tick(2000);
    limiter.onThrottle();
    expect(limiter.currentRate).toBe(20);
    limiter.onThrottle(); // an in-flight call (or SDK retry) throttled before the cut took effect
    expect(limiter.currentRate).toBe(20);
    expect(limiter.throttles).toBe(2);
  });

  it("recovers quickly to just under the throttled rate, then creeps", async () => {
    const { limiter, tick } = clocked(40);
    tick(10);
    limiter.onThrottle();
    tick(1000);
    await limiter.acquire();
    expect(limiter.currentRate).toBe(38); // 95% of 40, reached within a second
    tick(1000);
    await limiter.acquire();
    expect(limiter.currentRate).toBeLessThan(40);
  });

  it("paces calls to its rate", async () => {
    const limiter = new AdaptiveRateLimiter({ initialRate: 100, burst: 1 });
    const started = performance.now();
    for (let i = 0; i < 21; i++) await limiter.acquire();
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
  });

  it("keeps one limiter per scope key", () => {
    const registry = new RateLimiterRegistry(() => ({ initialRate: 5 }));
    const key = RateLimiterRegistry.key({ accountId: "1", region: "r", operation: "DescribePodIdentityAssociation", cluster: "a" });
    expect(registry.get(key, "x")).toBe(registry.get(key, "x"));
    expect(registry.get(key.replace(/a$/, "b"), "x")).not.toBe(registry.get(key, "x"));
  });
});

describe("AdaptiveRateLimiter batches", () => {
  // Fake timers and clock: release times are exact, whatever the machine's load.
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "performance"] }));
  afterEach(() => void vi.useRealTimers());

  /** When each of `n` queued acquires resolved, ms from the start (the bucket empty, so every one waits). */
  async function releases(opts: { burst: number; batch?: number }, n: number): Promise<number[]> {
    const limiter = new AdaptiveRateLimiter({ initialRate: 40, ...opts });
    for (let i = 0; i < opts.burst; i++) await limiter.acquire();
    const started = performance.now();
    const all = Promise.all(Array.from({ length: n }, () => limiter.acquire().then(() => performance.now() - started)));
    await vi.advanceTimersByTimeAsync(5_000);
    return all;
  }
  const sizes = (times: number[]) => [...times.reduce((m, t) => m.set(t, (m.get(t) ?? 0) + 1), new Map<number, number>()).values()];

  it("releases queued callers in groups of `batch`, at the same rate", async () => {
    const times = await releases({ burst: 5, batch: 5 }, 20);
    expect(sizes(times)).toEqual([5, 5, 5, 5]);
    // 40/s: a group of five every 125 ms; the last leaves when 20 tokens have accrued (500 ms), not before.
    expect([...new Set(times)]).toEqual([125, 250, 375, 500]);
  });

  it("releases one at a time without `batch`, and never waits for a group that is not queued", async () => {
    expect(await releases({ burst: 5 }, 4)).toEqual([25, 50, 75, 100]);
    // One caller queued: it waits for one token (25 ms at 40/s), not for a group of five.
    expect(await releases({ burst: 5, batch: 5 }, 1)).toEqual([25]);
  });
});
