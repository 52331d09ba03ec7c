// /bluegreen rendered as a server component over the real database after a
// scan of the sandbox fleet: pair, copies, skipped, re-point diffs, retired issuers.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { startScan } from "@/lib/inventory/scan/service";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice"], sandbox: true, reset: "once", pool: { retryMode: "standard" } });
const state = { role: "requester" };
vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/require-user", () => ({ requireUser: async () => ({ id: "u-1", login: "alice", name: "alice", role: state.role }) }));
vi.mock("@/lib/db", () => ({ getPrisma: async () => w.prisma }));
vi.mock("@/app/components/rescan-button", () => ({ RescanButton: () => null }));


async function render(): Promise<string> {
  const { default: Page } = await import("@/app/bluegreen/page");
  return renderToStaticMarkup(createElement("div", null, await Page()));
}

describe("/bluegreen page", () => {
  it("says to scan first, then shows the move of the seeded pair", async () => {
    expect(await render()).toContain("Blue/Green");
    const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "test");
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
