// /migration, /stale-pods and /expiry rendered as server components over the
// real database and the sandbox (scan, mappings refresh, a time-bound mapping).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EksGateway } from "@/lib/aws";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { startScan } from "@/lib/inventory/scan/service";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { OTHER_PI_ROLE, TARGETS } from "../support/constants";
import { createInput, runner } from "../support/requests";
import { useWorld } from "../support/world";
import { scanDeps } from "../support/scan";
import { installRuntime } from "../support/runtime";

const w = useWorld({ users: ["alice", "ivy", "root"], sandbox: true, reset: "once", pool: { retryMode: "standard" } });
const { alice, ivy, root } = w.users;
const state: { user: { id: string; login: string; role: string } } = { user: alice };
vi.mock("server-only", () => ({}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }), usePathname: () => "/" }));
vi.mock("@/lib/auth/require-user", () => ({ requireUser: async () => ({ ...state.user, name: state.user.login }) }));
vi.mock("@/lib/db", () => ({ getPrisma: async () => w.prisma }));
vi.mock("@/lib/config", () => ({ getConfig: () => ({ mode: "sandbox", sandbox: { kubeEndpoint: w.sandbox.kubeEndpoint }, targets: TARGETS }) }));

// The pages read through the app's runtime (lib/runtime.ts): point it at this world.
let uninstall: () => void;
beforeAll(() => {
  uninstall = installRuntime(w, { targets: TARGETS }).uninstall;
});
afterAll(() => uninstall());

async function render(path: string): Promise<string> {
  const { default: Page } = (await import(`@/app/${path}/page`)) as { default: (props: { searchParams: Promise<Record<string, string>> }) => Promise<React.ReactElement> };
  return renderToStaticMarkup(createElement("div", null, await Page({ searchParams: Promise.resolve({}) })));
}

describe("lifecycle pages", () => {
  it("render the migration candidates, the stale pods with their controls, and the expiring mappings", async () => {
    state.user = alice;
    expect(await render("migration")).toContain("No service account uses IRSA");
    await (await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "test")).done;
    await (await startMappingRefresh({ prisma: w.prisma, eks: new EksGateway(w.pool), targets: TARGETS }, "test")).done;

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
