// Claiming jobs several at a time (a lane with room for many: a scan's cluster
// parts): oldest first, never one job to two claimers, leases honoured.
import { describe, expect, it } from "vitest";
import { claimJob, claimJobs, enqueueJobs } from "@/lib/jobs/queue";
import { JobRunner } from "@/lib/jobs/runner";
import { useWorld } from "../support/world";

const w = useWorld({ database: true });

async function enqueue(n: number, queue: "notify" | "scan-part" = "scan-part") {
  await enqueueJobs(w.prisma, Array.from({ length: n }, (_, i) => ({ queue, payload: { i } })));
}

describe("claimJobs", () => {
  it("claims up to its limit, oldest first, of the queues asked; two claimers at once never share a job", async () => {
    await enqueue(3, "notify");
    await enqueue(12);
    const first = await claimJobs(w.prisma, "a", 60_000, 5, new Date(), ["scan-part"]);
    expect(first.map((j) => j.payload.i)).toEqual([0, 1, 2, 3, 4]);
    expect(first.every((j) => j.queue === "scan-part" && j.attempts === 1)).toBe(true);

    const [b, c] = await Promise.all([
      claimJobs(w.prisma, "b", 60_000, 4, new Date(), ["scan-part"]),
      claimJobs(w.prisma, "c", 60_000, 4, new Date(), ["scan-part"]),
    ]);
    const ids = [...first, ...b, ...c].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(b.length + c.length).toBe(7);
    const rows = await w.prisma.job.findMany({ where: { queue: "scan-part" } });
    expect(rows.every((r) => r.status === "running")).toBe(true);
    expect(new Set(rows.map((r) => r.lockedBy))).toEqual(new Set(["a", ...(b.length ? ["b"] : []), ...(c.length ? ["c"] : [])]));
    expect(await claimJobs(w.prisma, "d", 60_000, 10, new Date(), ["scan-part"])).toEqual([]);
    // The other queue was left alone; claimJob takes one of it.
    expect((await claimJob(w.prisma, "d", 60_000, new Date(), ["notify"]))?.payload).toEqual({ i: 0 });
  });

  it("takes back jobs whose lease ran out, counting the attempt", async () => {
    await enqueue(2);
    const now = new Date();
    expect(await claimJobs(w.prisma, "dead", 1_000, 10, now, ["scan-part"])).toHaveLength(2);
    expect(await claimJobs(w.prisma, "alive", 1_000, 10, new Date(now.getTime() + 500), ["scan-part"])).toEqual([]);
    const again = await claimJobs(w.prisma, "alive", 1_000, 10, new Date(now.getTime() + 2_000), ["scan-part"]);
    expect(again.map((j) => j.attempts)).toEqual([2, 2]);
  });

  it("a lane claims in batches but never runs more than its concurrency", async () => {
    await enqueue(25);
    let inFlight = 0;
    let most = 0;
    let ran = 0;
    const runner = new JobRunner(
      w.prisma,
      {
        "scan-part": async () => {
          most = Math.max(most, ++inFlight);
          await new Promise((r) => setTimeout(r, 20));
          inFlight--;
          ran++;
        },
      },
      { pollMs: 20, leaseMs: 60_000, lanes: [{ queues: ["scan-part"], concurrency: 7 }], reportsHealth: false, log: () => {} },
    );
    runner.start();
    try {
      for (let i = 0; i < 200 && ran < 25; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await runner.stop();
    }
    expect(ran).toBe(25);
    expect(most).toBe(7);
    expect(await w.prisma.job.count({ where: { queue: "scan-part", status: "done" } })).toBe(25);
  });
});
