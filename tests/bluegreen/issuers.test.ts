// Retired issuers are really retired: only EKS cluster issuers whose account and
// region RoleGate fully watches are ever clean-up candidates; GitHub Actions and
// other web-identity providers are shown and never touched; a clean-up never
// leaves a trust policy with no statement. Sandbox fleet + real database.
import { beforeAll, describe, expect, it } from "vitest";
import { blueGreenApiView } from "@/lib/bluegreen/api-view";
import { classifyIssuers, eksIssuerRegion } from "@/lib/bluegreen/issuers";
import { computeCleanup, computeMove } from "@/lib/bluegreen/plan";
import { fileCleanupRequest, loadBlueGreen } from "@/lib/bluegreen/service";
import { issuerHost } from "@/lib/bluegreen/trust";
import { startScan } from "@/lib/inventory/scan/service";
import { latestSnapshot } from "@/lib/inventory/scan/store";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import { oidcProviderArn, LEGACY } from "@/sandbox/seed/constants";
import { workloadRoleArn } from "@/sandbox/seed/roles-workload";
import { approveRequest } from "@/lib/requests/approve-request";
import { runner } from "../support/requests";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

const GITHUB = "token.actions.githubusercontent.com";
const GITHUB_ROLE = "arn:aws:iam::111122223333:role/github-actions-deploy";
const LEGACY_HOST = oidcProviderArn(LEGACY).split(":oidc-provider/")[1]!;

// One scan for the whole file (the last test rescans after editing a trust policy).
const w = useWorld({
  users: [
    { login: "alice", role: "requester" },
    { login: "bob", role: "requester" },
    { login: "carol", role: "requester" },
    { login: "ivy", role: "approver" },
  ],
  sandbox: true,
  reset: "once",
  pool: { retryMode: "standard" },
});
const { alice, bob, carol, ivy } = w.users;
let snapshot: InventorySnapshot;

beforeAll(async () => {
  const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "test");
  expect(await run.done).not.toBe("failed");
  snapshot = (await latestSnapshot(w.prisma))!.snapshot;
}, 120_000);

describe("which issuers are clean-up candidates", () => {
  it("recognises only oidc.eks.<region>.amazonaws.com/id/<ID> as an EKS cluster issuer", () => {
    expect(eksIssuerRegion(`https://${LEGACY_HOST}`)).toBe("us-east-1");
    expect(eksIssuerRegion("oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC")).toBe("cn-north-1");
    for (const other of [GITHUB, "gitlab.com", "app.terraform.io", "accounts.google.com", "cognito-identity.amazonaws.com", "oidc.eks.us-east-1.amazonaws.com.evil.io/id/X"]) {
      expect(eksIssuerRegion(other), other).toBeNull();
    }
  });

  it("never offers GitHub Actions' issuer: it is listed as non-eks with the role that trusts it, and a clean-up of it is refused", async () => {
    const view = await loadBlueGreen(w.prisma);
    expect(view.retired.map((r) => r.host)).not.toContain(GITHUB);
    expect(view.retired.map((r) => r.host)).toEqual([LEGACY_HOST]);
    expect(view.other).toContainEqual(expect.objectContaining({ issuer: GITHUB, kind: "non-eks", roles: [GITHUB_ROLE] }));
    expect(() => computeCleanup(snapshot, GITHUB)).toThrow(/not an EKS cluster issuer/);
    await expect(fileCleanupRequest(w.deps, alice, { issuer: GITHUB })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/not an EKS cluster issuer/) });
    expect(await w.prisma.request.count()).toBe(0);
  });

  it("GET /api/v1/bluegreen answers exactly pairs, retiredIssuers and otherIssuers", async () => {
    const body = blueGreenApiView(await loadBlueGreen(w.prisma));
    expect(Object.keys(body).sort()).toEqual(["otherIssuers", "pairs", "retiredIssuers"]);
    expect(body.retiredIssuers).toEqual([{ issuer: LEGACY_HOST, roles: expect.arrayContaining([workloadRoleArn("domino-irsa-legacy-s3")]) }]);
    expect(body.otherIssuers.every((o) => Object.keys(o).sort().join() === "issuer,kind,roles")).toBe(true);
    expect(body.otherIssuers.find((o) => o.issuer === GITHUB)).toEqual({ issuer: GITHUB, kind: "non-eks", roles: [GITHUB_ROLE] });
    const pair = body.pairs.find((p) => p.blue === "domino-blue")!;
    expect(pair.repointLeftOut?.map((r) => r.roleArn.split("/").pop())).toEqual(expect.arrayContaining(["domino-irsa-aud-only", "domino-blue-vpc-cni"]));
  });

  it("does not copy a Blue association to Green where the SA's pods would run on Fargate there", () => {
    const fargateGreen: InventorySnapshot = {
      ...snapshot,
      clusters: snapshot.clusters.map((c) => (c.name === "domino-green" ? { ...c, fargateProfiles: [{ name: "fp-all", selectors: [{ namespace: "domino-compute" }] }] } : c)),
    };
    const plan = computeMove(fargateGreen, "domino-blue", "domino-green");
    expect(plan.copies.filter((c) => c.namespace === "domino-compute")).toEqual([]);
    expect(plan.skipped.find((s) => s.serviceAccount === "svc-notebook-sync")?.reason).toMatch(/cannot use Pod Identity: .*Fargate \(profile fp-all\).*Keep it on IRSA/);
    expect(computeMove(snapshot, "domino-blue", "domino-green").copies.map((c) => c.serviceAccount)).toContain("svc-notebook-sync");
  });

  it("an EKS issuer of an account or region RoleGate does not fully watch is unknown: shown, never offered", () => {
    const unwatched: InventorySnapshot = { ...snapshot, accounts: snapshot.accounts.map((a) => ({ ...a, regions: [] })) };
    const c1 = classifyIssuers(unwatched);
    expect(c1.retired).toEqual([]);
    expect(c1.other).toContainEqual(expect.objectContaining({ issuer: LEGACY_HOST, kind: "unknown", reason: expect.stringMatching(/does not watch 111122223333\/us-east-1/) }));
    expect(() => computeCleanup(unwatched, LEGACY_HOST)).toThrow(/not known to be retired/);

    const named: InventorySnapshot = { ...snapshot, accounts: snapshot.accounts.map((a) => ({ ...a, namedClusters: { "us-east-1": ["domino-green"] } })) };
    expect(classifyIssuers(named).other).toContainEqual(expect.objectContaining({ issuer: LEGACY_HOST, kind: "unknown", reason: expect.stringMatching(/watches only domino-green/) }));

    // A cluster whose scan failed is missing from the snapshot: its issuer must not look retired.
    const blue = snapshot.clusters.find((c) => c.name === "domino-blue")!;
    const partial: InventorySnapshot = { ...snapshot, clusters: snapshot.clusters.filter((c) => c !== blue), errors: [{ scope: "cluster:111122223333/us-east-1/domino-blue", message: "ThrottlingException" }] };
    const c3 = classifyIssuers(partial);
    expect(c3.retired).toEqual([]);
    expect(c3.other).toContainEqual(expect.objectContaining({ issuer: issuerHost(blue.oidcIssuer!), kind: "unknown", reason: expect.stringMatching(/incomplete/) }));
  });

  it("apply refuses an UpdateAssumeRolePolicy with \"Statement\": [] even if such an item got into a request", async () => {
    const filed = await fileCleanupRequest(w.deps, carol, { issuer: LEGACY_HOST });
    await w.prisma.requestItem.updateMany({ where: { requestId: filed.id }, data: { iamPolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) } });
    const before = w.sandbox.ctx.world.accounts["111122223333"]!.roles["domino-irsa-legacy-and-blue"]!.assumeRolePolicyDocument;
    await approveRequest(w.deps, ivy, { id: filed.id });
    await runner(w).drain();
    const req = await w.prisma.request.findUniqueOrThrow({ where: { id: filed.id }, include: { items: true } });
    expect(req.status).toBe("failed");
    expect(req.items[0]).toMatchObject({ status: "failed", lastErrorCode: "EmptyTrustPolicy" });
    expect(w.sandbox.ctx.world.accounts["111122223333"]!.roles["domino-irsa-legacy-and-blue"]!.assumeRolePolicyDocument).toBe(before);
    expect(w.sandbox.ctx.calls.list({ operation: "UpdateAssumeRolePolicy" })).toEqual([]);
  });

  it("refuses a clean-up that would leave a trust policy with no statement, with the reason, and files only the others", async () => {
    const plan = computeCleanup(snapshot, LEGACY_HOST);
    expect(plan.refused).toEqual([expect.objectContaining({ roleName: "domino-irsa-legacy-s3", reason: expect.stringMatching(/no statement/) })]);
    expect(plan.roles.map((r) => r.roleName)).toEqual(["domino-irsa-legacy-and-blue"]);
    expect(plan.roles.every((r) => r.edit.after.Statement.length > 0)).toBe(true);
    const filed = await fileCleanupRequest(w.deps, bob, { issuer: LEGACY_HOST });
    const items = await w.prisma.requestItem.findMany({ where: { requestId: filed.id } });
    expect(items.map((i) => i.roleArn)).toEqual([workloadRoleArn("domino-irsa-legacy-and-blue")]);
    for (const i of items) expect(JSON.parse(i.iamPolicyDocument!).Statement.length).toBeGreaterThan(0);

    // When every role it names would end up empty, the domain service refuses the whole clean-up with the reason.
    const role = w.sandbox.ctx.world.accounts["111122223333"]!.roles["domino-irsa-legacy-and-blue"]!;
    const doc = JSON.parse(role.assumeRolePolicyDocument) as { Statement: unknown[] };
    role.assumeRolePolicyDocument = JSON.stringify({ ...doc, Statement: doc.Statement.filter((st) => !JSON.stringify(st).includes(LEGACY_HOST)) });
    const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "test");
    expect(await run.done).not.toBe("failed");
    const before = await w.prisma.request.count();
    await expect(fileCleanupRequest(w.deps, bob, { issuer: LEGACY_HOST })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/domino-irsa-legacy-s3's trust policy with no statement/) });
    expect(await w.prisma.request.count()).toBe(before);
  });
});
