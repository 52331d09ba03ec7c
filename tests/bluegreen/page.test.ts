// /bluegreen rendered as a server component over the real database after a
// scan of the sandbox fleet: pair, copies, skipped, re-point diffs, retired issuers.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AwsClientPool } from "@/lib/aws";
import { startScan } from "@/lib/inventory/scan/service";
import { makeUser, openWorld, type World } from "../requests/fixtures";
import { scanDeps } from "../scan/helpers";

const state: { w?: World; role: string } = { role: "requester" };
vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/require-user", () => ({ requireUser: async () => ({ id: "u-1", login: "alice", name: "alice", role: state.role }) }));
vi.mock("@/lib/db", () => ({ getPrisma: async () => state.w!.t.prisma }));
vi.mock("@/app/components/rescan-button", () => ({ RescanButton: () => null }));

let pool: AwsClientPool;
beforeAll(async () => {
  state.w = await openWorld();
  pool = new AwsClientPool({ endpoint: state.w.sandbox.awsEndpoint, maxAttempts: 3, retryMode: "standard" });
  await state.w.t.reset();
  await makeUser(state.w, "alice", "requester");
}, 120_000);
afterAll(async () => {
  pool.destroy();
  await state.w?.close();
});

async function render(): Promise<string> {
  const { default: Page } = await import("@/app/bluegreen/page");
  return renderToStaticMarkup(createElement("div", null, await Page()));
}

describe("/bluegreen page", () => {
  it("says to scan first, then shows the move of the seeded pair", async () => {
    expect(await render()).toContain("Blue/Green");
    const run = await startScan({ prisma: state.w!.t.prisma, scan: scanDeps(state.w!.sandbox, pool) }, "manual", "test");
    await run.done;
    const html = await render();
    expect(html).toContain("domino-blue");
    expect(html).toContain("domino-compute/svc-airflow-bridge");
    expect(html).toContain("no longer exists");
    expect(html).toMatch(/Copy \d+ mapping\(s\) to domino-green/);
    expect(html).toMatch(/Re-point \d+ role\(s\) to domino-green/);
    expect(html).toContain("domino-irsa-ml-training");
    // The legacy cluster's issuer is retired (no cluster has it): offered for clean-up.
    expect(html).toContain("data-testid=\"bluegreen-retired\"");
    state.role = "auditor";
    expect(await render()).toContain("Your role may not file requests.");
  }, 120_000);
});
