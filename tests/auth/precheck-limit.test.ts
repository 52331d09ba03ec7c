// POST /api/v1/prechecks reaches AWS for every item: it is rate-limited per user
// through the shared Postgres counters, so replicas cannot multiply the limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { PRECHECK_LIMIT } from "@/lib/auth/rate-limit";
import type { TestDatabase } from "../support/db";
import { asUser, openHarnessDatabase } from "../support/app-harness";


const { POST } = await import("@/app/api/v1/prechecks/route");
let t: TestDatabase;
const item = { kind: "create", cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", serviceAccount: "svc-limit", roleArn: "arn:aws:iam::111122223333:role/domino/x", justification: "rate limit test" };

beforeAll(async () => {
  t = await openHarnessDatabase();
});
afterAll(() => t?.close());

describe("prechecks rate limit", () => {
  it("a user over the limit in this window (counted by any replica) gets 429 before any AWS call", async () => {
    const alice = await asUser("alice", "requester");
    const windowStart = new Date(Math.floor(Date.now() / PRECHECK_LIMIT.windowMs) * PRECHECK_LIMIT.windowMs);
    // Another replica already counted this user's full allowance.
    await t.prisma.rateLimit.create({ data: { key: `prechecks:${alice.id}`, windowStart, count: PRECHECK_LIMIT.limit } });
    const res = await POST(new Request("http://localhost/api/v1/prechecks", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(item) }));
    expect(res.status).toBe(429);
    expect((await res.json()).error.message).toMatch(/Too many precheck runs: at most 30 a minute/);
    // Refused, so not counted: the row is as the other replica left it.
    expect((await t.prisma.rateLimit.findUniqueOrThrow({ where: { key: `prechecks:${alice.id}` } })).count).toBe(PRECHECK_LIMIT.limit);
  });

  it("a call refused before any AWS call (a cluster outside the configured targets) is not counted: no row written", async () => {
    const bob = await asUser("bob", "requester");
    const res = await POST(new Request("http://localhost/api/v1/prechecks", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...item, accountId: "999999999999" }) }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields.cluster[0]).toMatch(/not a configured target/);
    expect(await t.prisma.rateLimit.findUnique({ where: { key: `prechecks:${bob.id}` } })).toBeNull();
  });
});
