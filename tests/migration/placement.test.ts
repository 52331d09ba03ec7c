// Nothing in /migration offers a move to a service account whose pods run where
// Pod Identity cannot work (Fargate, Windows): the scan of the extended sandbox
// fleet carries the placement, the page shows it instead of a Migrate button,
// and the domain service refuses the move.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { startScan } from "@/lib/inventory/scan/service";
import { latestSnapshot } from "@/lib/inventory/scan/store";
import { fileMigration } from "@/lib/migration/file-migration";
import { findCandidate, migrationOverview } from "@/lib/migration/service";
import { TARGETS } from "../support/constants";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

const WEST_TARGETS = [...TARGETS, { accountId: "111122223333", region: "us-west-2", clusters: ["*"] }];
vi.mock("server-only", () => ({}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }), usePathname: () => "/" }));
vi.mock("@/lib/auth/require-user", () => ({ requireUser: async () => ({ id: "u-1", login: "alice", name: "alice", role: "requester" }) }));
vi.mock("@/lib/db", () => ({ getPrisma: async () => w.prisma }));

// One scan of the extended fleet (us-west-2 watched too) for the whole file.
const w = useWorld({ users: ["alice"], sandbox: true, reset: "once", pool: { retryMode: "standard" } });
const { alice } = w.users;

beforeAll(async () => {
  const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool, { targets: WEST_TARGETS }) }, "manual", "test");
  expect(await run.done).toBe("succeeded");
}, 120_000);

describe("placement in the scan and /migration", () => {
  it("the scan reads Auto Mode, Fargate profiles, nodes, the agent DaemonSet and where each pod runs", async () => {
    const { snapshot } = (await latestSnapshot(w.prisma))!;
    const by = new Map(snapshot.clusters.map((c) => [c.name, c]));
    expect([...by.keys()].sort()).toEqual(["domino-auto", "domino-blue", "domino-green", "domino-mixed", "domino-selfmanaged"]);
    expect(by.get("domino-auto")).toMatchObject({ autoMode: true, podIdentityAgentInstalled: false, agentDaemonSet: null, nodegroups: [] });
    expect(by.get("domino-green")).toMatchObject({ autoMode: false, fargateProfiles: [] });
    expect(by.get("domino-selfmanaged")!.agentDaemonSet).toMatchObject({ name: "eks-pod-identity-agent", desired: 3, ready: 2, labels: { "app.kubernetes.io/managed-by": "Helm" } });
    const mixed = by.get("domino-mixed")!;
    expect(mixed.fargateProfiles!.map((f) => f.name)).toEqual(["fp-batch", "fp-serverless"]);
    expect(mixed.nodegroups.find((n) => n.name === "windows")?.amiType).toBe("WINDOWS_CORE_2022_x86_64");
    expect(mixed.nodes!.some((n) => n.labels["eks.amazonaws.com/compute-type"] === "fargate")).toBe(true);
    expect(mixed.pods.find((p) => p.serviceAccountName === "svc-fargate-batch")).toMatchObject({ nodeName: expect.stringMatching(/^fargate-ip-/), labels: { "eks.amazonaws.com/fargate-profile": "fp-batch" }, ready: true });
  });

  it("offers no move to the Fargate or Windows SA, says why, and still offers the Linux one", async () => {
    const { rows } = await migrationOverview(w.prisma);
    const row = (sa: string) => rows.find((r) => r.cluster === "domino-mixed" && r.serviceAccount === sa)!;
    expect(row("svc-fargate-batch")).toMatchObject({ blocked: expect.stringMatching(/Stays on IRSA: .*Fargate \(profile fp-batch\)/), placement: { fargate: ["fp-batch"], podIdentity: "unsupported" } });
    expect(row("svc-windows-report")).toMatchObject({ blocked: expect.stringMatching(/Windows/), placement: { podIdentity: "unsupported" } });
    expect(row("svc-linux-etl")).toMatchObject({ blocked: null, placement: { podIdentity: "supported" } });
    // Every row with Fargate or Windows pods is blocked; the Blue/Green rows are not.
    for (const r of rows) expect(r.blocked !== null, r.key).toBe(r.placement.fargate.length > 0 || r.placement.windows.length > 0);

    const { default: Page } = await import("@/app/migration/page");
    // The page lists one page of rows: the domino-mixed ones through its Cluster filter.
    const html = renderToStaticMarkup(createElement("div", null, await Page({ searchParams: Promise.resolve({ cluster: "domino-mixed" }) })));
    expect(html).not.toContain("domino-green</td>");
    const rowHtml = (sa: string) => html.split('data-testid="migration-row"').find((chunk) => chunk.includes(`domino-compute/${sa}<`))!;
    expect(rowHtml("svc-fargate-batch")).toContain("Fargate (fp-batch)");
    expect(rowHtml("svc-fargate-batch")).toContain('data-testid="migration-blocked"');
    expect(rowHtml("svc-fargate-batch")).not.toContain("Migrate (trust, association, restart)");
    expect(rowHtml("svc-windows-report")).not.toContain("Migrate (trust, association, restart)");
    expect(rowHtml("svc-linux-etl")).toContain("Migrate (trust, association, restart)");
  });

  it("the domain service refuses to file a move for the Fargate SA and files nothing", async () => {
    const c = await findCandidate(w.prisma, "domino-mixed/domino-compute/svc-fargate-batch/arn:aws:iam::111122223333:role/domino-west-batch");
    const deps = { ...w.deps, targets: WEST_TARGETS, kube: w.kube };
    await expect(fileMigration(deps, alice, c)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/cannot move to Pod Identity.*Fargate/) });
    expect(await w.prisma.request.count()).toBe(0);
  });

  it("the overview carries at most N candidates (key order) with total and truncated, and still finds each carried row's step 1 request", async () => {
    const full = await migrationOverview(w.prisma);
    expect(full).toMatchObject({ truncated: false, total: full.rows.length });
    // A Green candidate (us-east-1, the only target of w.deps: located without a mappings refresh), with rows after it.
    const green = full.rows.find((r) => r.cluster === "domino-green" && !r.blocked && !r.association)!;
    const filed = await fileMigration({ ...w.deps, kube: w.kube }, alice, green);
    const upTo = full.rows.indexOf(green) + 1;
    const capped = await migrationOverview(w.prisma, upTo);
    expect(capped).toMatchObject({ total: full.total, truncated: true });
    expect(capped.rows.map((r) => r.key)).toEqual(full.rows.slice(0, upTo).map((r) => r.key));
    expect(capped.rows.at(-1)!.migration).toEqual({ requestId: filed.id, status: "pending" });
  });
});
