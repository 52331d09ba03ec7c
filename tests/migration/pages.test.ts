// /migration, /stale-pods and /expiry rendered as server components over the
// real database and the sandbox (scan, mappings refresh, a time-bound mapping).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AwsClientPool, EksGateway } from "@/lib/aws";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { startScan } from "@/lib/inventory/scan/service";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { createInput, installRuntime, makeUser, openWorld, OTHER_PI_ROLE, runner, TARGETS, type World } from "../requests/fixtures";
import { scanDeps } from "../scan/helpers";

const state: { w?: World; user: { id: string; login: string; role: string } } = { user: { id: "", login: "alice", role: "requester" } };
vi.mock("server-only", () => ({}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }), usePathname: () => "/" }));
vi.mock("@/lib/auth/require-user", () => ({ requireUser: async () => ({ ...state.user, name: state.user.login }) }));
vi.mock("@/lib/db", () => ({ getPrisma: async () => state.w!.t.prisma }));
vi.mock("@/lib/config", () => ({ getConfig: () => ({ mode: "sandbox", sandbox: { kubeEndpoint: state.w!.sandbox.kubeEndpoint }, targets: TARGETS }) }));

let pool: AwsClientPool;
let uninstall: () => void;
beforeAll(async () => {
  state.w = await openWorld();
  uninstall = installRuntime(state.w, { targets: TARGETS }).uninstall;
  pool = new AwsClientPool({ endpoint: state.w.sandbox.awsEndpoint, maxAttempts: 3, retryMode: "standard" });
  await state.w.t.reset();
}, 120_000);
afterAll(async () => {
  uninstall();
  pool.destroy();
  await state.w?.close();
});

async function render(path: string): Promise<string> {
  const { default: Page } = (await import(`@/app/${path}/page`)) as { default: () => Promise<React.ReactElement> };
  return renderToStaticMarkup(createElement("div", null, await Page()));
}

describe("lifecycle pages", () => {
  it("render the migration candidates, the stale pods with their controls, and the expiring mappings", async () => {
    const w = state.w!;
    const alice = await makeUser(w, "alice", "requester");
    const ivy = await makeUser(w, "ivy", "approver");
    const root = await makeUser(w, "root", "admin");
    state.user = alice;
    expect(await render("migration")).toContain("No service account uses IRSA");
    await (await startScan({ prisma: w.t.prisma, scan: scanDeps(w.sandbox, pool) }, "manual", "test")).done;
    await (await startMappingRefresh({ prisma: w.t.prisma, eks: new EksGateway(pool), targets: TARGETS }, "test")).done;

    const migration = await render("migration");
    expect(migration).toContain("domino-compute/dmuser-ebrown");
    expect(migration).toContain("Role shared with");
    expect(migration).toContain("Migrate (trust, association, restart)");

    const stale = await render("stale-pods");
    expect(stale).toContain("svc-report-builder");
    expect(stale).toContain("started before its association");
    expect(stale).toContain("data-testid=\"stale-dry-run\"");
    expect(stale).not.toContain("data-testid=\"auto-restart-"); // requester: no admin toggle
    state.user = root;
    expect(await render("stale-pods")).toContain("data-testid=\"auto-restart-domino-compute\"");

    state.user = alice;
    expect(await render("expiry")).toContain("No time-bound mapping in force");
    const r = await createRequest(w.deps, alice, { ...createInput("svc-temp", OTHER_PI_ROLE), mappingExpiresAt: new Date(Date.now() + 5 * 3600_000) });
    await approveRequest(w.deps, ivy, { id: r.id });
    await runner(w).drain();
    const expiry = await render("expiry");
    expect(expiry).toContain("domino-green/domino-compute/svc-temp");
    expect(expiry).toContain("data-testid=\"request-extension\"");
    state.user = ivy;
    expect(await render("expiry")).toContain("Only the requester may ask.");
  }, 180_000);
});
