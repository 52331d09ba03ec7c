// mapPagesWithConcurrency: the scanner describes a cluster's associations as
// their List pages arrive. Semaphore: the clusters whose Kubernetes objects a
// scanning process reads at once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapPagesWithConcurrency, Semaphore } from "@/lib/util/concurrency";

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function* paged<T>(pages: T[][], delayMs = 0, log?: string[]): AsyncGenerator<T[]> {
  for (const [i, page] of pages.entries()) {
    await tick(delayMs);
    log?.push(`page ${i}`);
    yield page;
  }
}

describe("mapPagesWithConcurrency", () => {
  it("keeps the order items arrived in, whatever the pages and the calls' timing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer(), { maxLength: 6 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
        async (pages, limit, delays) => {
          let inFlight = 0;
          let most = 0;
          const out = await mapPagesWithConcurrency(paged(pages, 1), limit, async (n, i) => {
            most = Math.max(most, ++inFlight);
            await tick(delays[i % delays.length]);
            inFlight--;
            return `${i}:${n}`;
          });
          expect(out).toEqual(pages.flat().map((n, i) => `${i}:${n}`));
          expect(most).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("starts on the first page's items before the last page is read", async () => {
    const log: string[] = [];
    await mapPagesWithConcurrency(paged([[1, 2], [3], [4]], 5, log), 2, async (n) => {
      log.push(`item ${n}`);
    });
    expect(log.indexOf("item 1")).toBeLessThan(log.indexOf("page 2"));
    expect(log.filter((l) => l.startsWith("item"))).toHaveLength(4);
  });

  it("rejects when a page cannot be read, and starts no call after that", async () => {
    const started: number[] = [];
    async function* failing(): AsyncGenerator<number[]> {
      yield [1, 2, 3, 4, 5, 6];
      await tick(2);
      throw new Error("ListPodIdentityAssociations failed");
    }
    await expect(
      mapPagesWithConcurrency(failing(), 1, async (n) => {
        started.push(n);
        await tick(5);
      }),
    ).rejects.toThrow("ListPodIdentityAssociations failed");
    const seen = started.length;
    await tick(30);
    expect(started.length).toBe(seen);
    expect(seen).toBeLessThan(6);
  });

  it("rejects when a call fails, and stops reading pages", async () => {
    const log: string[] = [];
    await expect(
      mapPagesWithConcurrency(paged([[1], [2], [3], [4]], 3, log), 2, async (n) => {
        if (n === 1) throw new Error("Describe failed");
      }),
    ).rejects.toThrow("Describe failed");
    await tick(30);
    expect(log.length).toBeLessThan(4);
  });

  it("answers an empty list, and a list of empty pages, with nothing", async () => {
    expect(await mapPagesWithConcurrency(paged<number>([]), 3, async (n: number) => n)).toEqual([]);
    expect(await mapPagesWithConcurrency(paged<number>([[], []]), 3, async (n: number) => n)).toEqual([]);
  });
});

describe("Semaphore", () => {
  it("lets at most its slots run at once, the others in arrival order, and frees a slot when a holder fails", async () => {
    const gate = new Semaphore(2);
    let inFlight = 0;
    let most = 0;
    const order: number[] = [];
    const runs = [5, 1, 3, 0, 2, 4].map((ms, i) =>
      gate.run(async () => {
        order.push(i);
        most = Math.max(most, ++inFlight);
        await tick(ms);
        inFlight--;
        if (i === 1) throw new Error("list failed");
        return i;
      }),
    );
    const settled = await Promise.allSettled(runs);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(settled.filter((s) => s.status === "rejected")).toHaveLength(1);
    expect(await gate.run(async () => "free again")).toBe("free again");
  });
});
