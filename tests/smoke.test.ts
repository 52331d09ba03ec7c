import { describe, expect, it } from "vitest";
import { FaultInjector } from "@/sandbox/context";

describe("fault injector", () => {
  it("throttles once the bucket is empty and refills over time", () => {
    const f = new FaultInjector({ throttle: { Op: { ratePerSecond: 2, burst: 2 } } });
    expect(f.decide("Op", undefined, 0).kind).toBe("none");
    expect(f.decide("Op", undefined, 0).kind).toBe("none");
    expect(f.decide("Op", undefined, 0).kind).toBe("throttle");
    expect(f.decide("Op", undefined, 600).kind).toBe("none");
  });
});
