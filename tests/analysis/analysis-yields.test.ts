// The analysis runs in the web process: a large estate must not hold the event
// loop (pages, the apply worker's timers) for the whole computation. The
// sliced run must still produce exactly what the synchronous run produces.
import { describe, expect, it } from "vitest";
import { analyzeSnapshot, analyzeSnapshotAsync, analyzeSnapshotSteps } from "@/lib/inventory/analysis";
import { syntheticSnapshot } from "@/tests/support/analysis/synthetic-snapshot";

const snapshot = syntheticSnapshot({ roles: 2000, clusters: 3, serviceAccountsPerCluster: 300, seed: 20261201, extraInexactRate: 0.005 });

/** Interval ticks while `work` runs, and the longest stretch without one. */
async function ticksDuring(work: () => unknown) {
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(performance.now()), 5);
  const start = performance.now();
  await work();
  const end = performance.now();
  clearInterval(timer);
  const marks = [start, ...ticks.filter((t) => t <= end), end];
  const longestGap = Math.max(...marks.slice(1).map((t, i) => t - marks[i]!));
  return { ticks: ticks.length, ms: end - start, longestGap };
}

describe("analysis without blocking the event loop", () => {
  it("a timer keeps firing while a large snapshot is analysed, and the result equals the synchronous one", async () => {
    const blocking = await ticksDuring(() => analyzeSnapshot(snapshot));
    // The synchronous run is long enough to matter and lets no timer in: what the web process must avoid.
    expect(blocking.ms).toBeGreaterThan(150);
    expect(blocking.ticks).toBe(0);

    let sliced: Awaited<ReturnType<typeof analyzeSnapshotAsync>> | undefined;
    const yielding = await ticksDuring(async () => {
      sliced = await analyzeSnapshotAsync(snapshot);
    });
    expect(yielding.ticks).toBeGreaterThan(10);
    // Generous bound (shared CI cores, GC); the sync run above holds the loop for its whole length.
    expect(yielding.longestGap).toBeLessThan(Math.max(250, blocking.ms / 4));

    const sync = analyzeSnapshot(snapshot);
    expect(sliced!.edges).toEqual(sync.edges);
    expect(sliced!.mappings).toEqual(sync.mappings);
    expect(sliced!.findings).toEqual(sync.findings);
    expect(sync.edges.irsa.length).toBeGreaterThan(1000);
  });

  it("no single step of the analysis runs long (every loop over roles and service accounts yields)", () => {
    const steps = analyzeSnapshotSteps(snapshot);
    let longest = 0;
    let count = 0;
    for (;;) {
      const t = performance.now();
      const r = steps.next();
      longest = Math.max(longest, performance.now() - t);
      count++;
      if (r.done) break;
    }
    expect(count).toBeGreaterThan(snapshot.roles.length);
    // Steps are a fraction of a millisecond; the bound only leaves room for GC and a busy shared machine.
    expect(longest).toBeLessThan(250);
  });
});
