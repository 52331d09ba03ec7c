// What a process keeps across requests (a pooled connection, a cached view's or
// drift report's promise) must not keep the async stores of the request that
// made it (lib/util/outside-request.ts): React and Next.js keep each render's
// whole state there. A "request" here is AsyncLocalStorage.run with a store
// object; a WeakRef tells whether anything still holds it after collection.
import { AsyncLocalStorage } from "node:async_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/drivers";
import { captureRootContext, outsideRequest } from "@/lib/util/outside-request";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const URL = process.env.DATABASE_URL;
const als = new AsyncLocalStorage<object>();
captureRootContext();

/** Runs `fn` in a request of its own; a WeakRef to that request's store. The request resumes in its own store after `fn`. */
async function inRequest(fn: () => Promise<unknown>): Promise<WeakRef<object>> {
  let ref!: WeakRef<object>;
  await als.run({ render: new Array(10_000).fill("state") }, async () => {
    ref = new WeakRef(als.getStore()!);
    await fn();
    expect(als.getStore()).toBe(ref.deref());
  });
  return ref;
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10 && ref.deref(); i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  return ref.deref() === undefined;
}

describe("work kept across requests", () => {
  it("a promise made through outsideRequest does not keep the request's stores; one made in the request does", async () => {
    const kept: Promise<unknown>[] = [];
    const outside = await inRequest(async () => void kept.push(outsideRequest(() => new Promise((r) => setTimeout(r, 1)))));
    const inside = await inRequest(async () => void kept.push(new Promise((r) => setTimeout(r, 1))));
    await Promise.all(kept);
    expect(await collected(outside)).toBe(true);
    expect(await collected(inside)).toBe(false);
    expect(outsideRequest(() => als.getStore())).toBeUndefined();
    als.run({}, () => expect(outsideRequest(() => als.getStore())).toBeUndefined());
  });

  it.skipIf(!URL)("a pooled Postgres connection opened by a request does not keep its stores (a plain pg pool's does)", async () => {
    const db = await openPostgres(URL!);
    const plain = new pg.Pool({ connectionString: URL, max: 1 });
    try {
      // Each opens its pool's first connection, which stays pooled (idle) after the query: node-postgres
      // keeps the opening query's callbacks on it (an "sslconnect" listener that never fires without TLS).
      const ours = await inRequest(() => db.raw.query("SELECT 1"));
      const theirs = await inRequest(() => plain.query("SELECT 1"));
      expect(await collected(ours)).toBe(true);
      expect(await collected(theirs)).toBe(false);
      expect(await db.raw.query("SELECT 2 AS n")).toEqual([{ n: 2 }]);
    } finally {
      await db.close();
      await plain.end();
    }
  });
});
