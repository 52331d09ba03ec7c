import { describe, expect, it } from "vitest";
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
